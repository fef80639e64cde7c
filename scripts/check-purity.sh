#!/usr/bin/env bash
# Proves the direction of the crates with `cargo tree`:
#
#   ledger ← domain ← node ← {web, mail} ← godown (the binary)
#
# - ledger/ and domain/ are pure: no async runtime, web or database stack,
#   mailer, telemetry, or a crate feature that reads the clock;
# - the node core (api/node) has no web stack, no GraphQL and no mailer, and
#   depends on neither the web edge nor the mail crate (so the sequencer
#   cannot call mail: it writes typed outbox messages instead);
# - the web edge has no mailer and does not depend on the mail crate;
# - the mail crate has no web stack and no GraphQL, and does not depend on
#   the web edge;
# - the witness (api/witness) depends on the ledger core alone of Godown's
#   crates, with no database and no mailer.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0

# Every crate, normal and build dependencies, as `name version` lines.
deps_of() {
  cargo tree --locked -p "$1" -e normal,build --prefix none --format '{p}' | sort -u
}

# forbid CRATE REGEX WHY: fails when CRATE depends, even indirectly, on a
# crate whose name matches REGEX.
forbid() {
  local crate=$1 pattern=$2 why=$3 bad
  if bad=$(deps_of "$crate" | grep -E "^($pattern) "); then
    echo "check-purity: $crate must not depend on $why, but does through:" >&2
    echo "$bad" | sed 's/^/  /' >&2
    status=1
  fi
}

io='tokio|axum|hyper|reqwest|sea-orm|sea-orm-migration|sqlx|async-graphql|lettre|opentelemetry|opentelemetry_sdk|tracing-opentelemetry|mio|async-std|smol'
web='axum|axum-core|hyper|tower-http|async-graphql|async-graphql-axum|godown-web'
mail='lettre|godown-mail'

for crate in godown-ledger godown-domain; do
  forbid "$crate" "$io" "I/O crates"
  features=$(cargo tree --locked -p "$crate" -e normal,build,features --prefix none)
  if bad=$(grep -E '^chrono feature "(clock|now)"|^time feature "local-offset"' <<<"$features"); then
    echo "check-purity: $crate enables a clock through:" >&2
    echo "$bad" | sort -u | sed 's/^/  /' >&2
    status=1
  fi
done
forbid godown-node "$web|$mail" "the web edge or the mailer"
forbid godown-web "$mail" "the mailer"
forbid godown-mail "$web" "the web edge"
# A member runs the witness without the operator's node: the ledger's
# formats and its own state directory only.
forbid godown-witness "godown-node|godown-domain|godown-web|godown-mail|godown-migrations|sea-orm|sqlx|async-graphql|lettre" "the node, its database or its mailer"

# The checks must be able to fail: the binary wires everything together,
# so the same searches applied to it have to find each forbidden family.
binary=$(deps_of godown-api)
for family in "$io" "$web" "$mail"; do
  if ! grep -qE "^($family) " <<<"$binary"; then
    echo "check-purity: found nothing of ($family) in godown-api, which uses it; the check is broken" >&2
    status=1
  fi
done

[ "$status" -eq 0 ] && echo "check-purity: ledger and domain are pure; node ← {web, mail} ← godown holds; the witness needs only the ledger"
exit "$status"
