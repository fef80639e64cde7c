#!/usr/bin/env bash
# Proves that the pure crates stay pure: neither ledger/ nor domain/ may
# depend, even indirectly, on an async runtime, a web or database stack, a
# mailer, telemetry, or a crate feature that reads the clock.
set -euo pipefail
cd "$(dirname "$0")/.."

forbidden='^(tokio|axum|hyper|reqwest|sea-orm|sea-orm-migration|sqlx|async-graphql|lettre|opentelemetry|opentelemetry_sdk|tracing-opentelemetry|mio|async-std|smol) '
status=0
for crate in godown-ledger godown-domain; do
  deps=$(cargo tree --locked -p "$crate" -e normal,build --prefix none --format '{p}' | sort -u)
  if bad=$(grep -E "$forbidden" <<<"$deps"); then
    echo "check-purity: $crate depends on I/O crates:" >&2
    echo "$bad" | sed 's/^/  /' >&2
    status=1
  fi
  features=$(cargo tree --locked -p "$crate" -e normal,build,features --prefix none)
  if bad=$(grep -E '^chrono feature "(clock|now)"|^time feature "local-offset"' <<<"$features"); then
    echo "check-purity: $crate enables a clock through:" >&2
    echo "$bad" | sort -u | sed 's/^/  /' >&2
    status=1
  fi
done

# The check must be able to fail: the node crate does I/O, so the same test
# applied to it has to find something once it depends on the stack.
if cargo tree --locked -p godown-api -e normal --prefix none --format '{p}' | grep -qE "$forbidden"; then
  :
elif grep -qE '^(tokio|axum)' api/Cargo.toml; then
  echo "check-purity: the check found nothing in godown-api, which uses tokio; the check is broken" >&2
  status=1
fi

[ "$status" -eq 0 ] && echo "check-purity: ledger and domain are pure"
exit "$status"
