#!/usr/bin/env python3
"""Verify a Godown export directory without any of Godown's code.

Written from the public specifications alone (RFC 6962 hashing, C2SP
signed-note and tlog-checkpoint, RFC 8785 canonical JSON, the Godown
transaction format in docs/FORMATS.md), with Python's standard library and
the `cryptography` package for Ed25519. It shows that the history can be
checked with tools that are not ours.

    python3 verify_export.py EXPORT_DIR "$(cat EXPORT_DIR/log.vkey)"

Exits 0 and prints a summary when every check holds; exits 1 with one line
naming the first problem otherwise.

Limits, by design of a small script: member names are sorted by code point
rather than by UTF-16 unit, which differs only for names holding characters
beyond U+FFFF; Godown's member names are ASCII.
"""

import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class Refused(Exception):
    """A check failed."""


def b64(text):
    return base64.b64decode(text, validate=True)


def parse_vkey(vkey):
    """name+hex(key id)+base64(0x01 || public key), split on the first two '+'."""
    name, key_id, key = vkey.strip().split("+", 2)
    raw = b64(key)
    if raw[:1] != b"\x01" or len(raw) != 33:
        raise Refused("the log vkey is not an Ed25519 signed-note key")
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if bytes.fromhex(key_id) != expected:
        raise Refused("the log vkey's key ID does not match its name and key")
    return name, expected, Ed25519PublicKey.from_public_bytes(raw[1:])


def verify_checkpoint(note, name, key_id, public_key):
    """Checks the log's signature line and returns origin, size and root."""
    body, _, signatures = note.rpartition("\n\n")
    body += "\n"
    signed = False
    for line in signatures.splitlines():
        if not line.startswith("\u2014 "):
            raise Refused(f"checkpoint: malformed signature line {line!r}")
        signer, _, sig = line[2:].partition(" ")
        sig = b64(sig)
        if signer == name and sig[:4] == key_id:
            try:
                public_key.verify(sig[4:], body.encode())
            except InvalidSignature:
                raise Refused("checkpoint: the log's signature does not verify")
            signed = True
    if not signed:
        raise Refused("checkpoint: no signature by the log key")
    lines = body.split("\n")
    origin, size, root = lines[0], int(lines[1]), b64(lines[2])
    if origin != name:
        raise Refused("checkpoint: the origin is not the log key's name")
    return origin, size, root


def no_floats(text):
    raise Refused(f"a JSON float {text} where amounts must be decimal strings")


def canonical(value):
    """RFC 8785 for Godown's data: no floats, so numbers print as integers."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_of(leaves):
    """RFC 6962 Merkle tree hash, as a stack of perfect subtrees."""
    stack = []  # (height, hash)
    for leaf in leaves:
        node = (0, leaf)
        while stack and stack[-1][0] == node[0]:
            height, left = stack.pop()
            node = (height + 1, node_hash(left, node[1]))
        stack.append(node)
    if not stack:
        return hashlib.sha256(b"").digest()
    root = stack[-1][1]
    for _, left in reversed(stack[:-1]):
        root = node_hash(left, root)
    return root


def verify_entry(number, line, origin, nonces):
    try:
        entry = json.loads(line, parse_float=no_floats, parse_constant=no_floats)
    except ValueError as error:
        raise Refused(f"line {number}: not JSON: {error}")
    if canonical(entry) != line:
        raise Refused(f"line {number}: not RFC 8785 canonical JSON")
    tx = entry["tx"]
    if tx["origin"] != origin:
        raise Refused(f"line {number}: signed for {tx['origin']!r}, not {origin!r}")
    key = b64(entry["key"])
    message = b"godown-tx/v1\n" + canonical(tx)
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(b64(entry["sig"]), message)
    except InvalidSignature:
        raise Refused(f"line {number}: the signature does not verify")
    if (key, tx["nonce"]) in nonces:
        raise Refused(f"line {number}: the key reuses nonce {tx['nonce']!r}")
    nonces.add((key, tx["nonce"]))


def main(directory, vkey):
    name, key_id, public_key = parse_vkey(vkey)
    with open(f"{directory}/checkpoint", encoding="utf-8") as file:
        origin, size, root = verify_checkpoint(file.read(), name, key_id, public_key)
    leaves, nonces = [], set()
    with open(f"{directory}/entries.jsonl", "rb") as file:
        for number, line in enumerate(file, start=1):
            line = line.rstrip(b"\n")
            verify_entry(number, line, origin, nonces)
            leaves.append(leaf_hash(line))
    if len(leaves) != size:
        raise Refused(f"{len(leaves)} entries, but the checkpoint covers {size}")
    if root_of(leaves) != root:
        raise Refused("the entries do not hash to the checkpoint's root")
    print(f"OK: {size} entries of {origin} verify against the signed checkpoint")


def run(main, doc):
    """Runs `main` with the command line's arguments: the usage when their
    number is wrong, one line and exit status 1 when a check fails."""
    args = sys.argv[1:]
    if len(args) != main.__code__.co_argcount:
        sys.exit(doc)
    try:
        main(*args)
    except (Refused, KeyError, ValueError, OSError) as error:
        print(f"REFUSED: {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    run(main, __doc__)
