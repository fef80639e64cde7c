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
    """name+hex(key id)+base64(0x01 || public key), split on the first two '+'.
    Returns the name, the key ID and the raw 32-byte public key."""
    name, key_id, key = vkey.strip().split("+", 2)
    raw = b64(key)
    if raw[:1] != b"\x01" or len(raw) != 33:
        raise Refused("the log vkey is not an Ed25519 signed-note key")
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if bytes.fromhex(key_id) != expected:
        raise Refused("the log vkey's key ID does not match its name and key")
    return name, expected, raw[1:]


def key_id_of(name, public_key):
    return hashlib.sha256(name.encode() + b"\n" + b"\x01" + public_key).digest()[:4]


def checkpoint_body(note):
    """Origin, size and root of a checkpoint note, before any signature is
    checked: which key must have signed it is known after the entries."""
    body = note.rpartition("\n\n")[0] + "\n"
    lines = body.split("\n")
    return lines[0], int(lines[1]), b64(lines[2])


def verify_checkpoint(note, name, key_id, raw_key):
    """Checks the log's signature line and returns origin, size and root."""
    public_key = Ed25519PublicKey.from_public_bytes(raw_key)
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


def follow_handover(number, line, origin, leaves, chain):
    """A log.handover entry (docs/LEDGER.md, "Handing the log key over"):
    signed by the log key in force, pinning the log before it (its own index
    and the root over the entries before it), naming the key that signs
    from then on. `chain` holds the raw public keys, oldest first."""
    entry = json.loads(line)
    body = entry["tx"]["body"]
    if set(body) != {"vkey", "size", "root"}:
        raise Refused(f"line {number}: a hand-over body holds vkey, size and root")
    index = number - 1
    if body["size"] != index:
        raise Refused(f"line {number}: the hand-over pins size {body['size']}, not {index}")
    if b64(body["root"]) != root_of(leaves):
        raise Refused(f"line {number}: the hand-over pins another root than the entries before it")
    signer = b64(entry["key"])
    if chain and signer != chain[-1]:
        raise Refused(f"line {number}: the hand-over is not signed by the log key in force")
    name, _, new_key = parse_vkey(body["vkey"])
    if name != origin:
        raise Refused(f"line {number}: the new log key is not named after the origin")
    if new_key == signer or new_key in chain:
        raise Refused(f"line {number}: the new log key signed for this log before")
    if not chain:
        chain.append(signer)
    chain.append(new_key)


def main(directory, vkey):
    name, _, trusted = parse_vkey(vkey)
    with open(f"{directory}/checkpoint", encoding="utf-8") as file:
        note = file.read()
    origin, size, _ = checkpoint_body(note)
    if origin != name:
        raise Refused("checkpoint: the origin is not the log key's name")
    leaves, nonces, chain = [], set(), []
    with open(f"{directory}/entries.jsonl", "rb") as file:
        for number, line in enumerate(file, start=1):
            line = line.rstrip(b"\n")
            verify_entry(number, line, origin, nonces)
            if json.loads(line)["tx"]["type"] == "log.handover":
                follow_handover(number, line, origin, leaves, chain)
            leaves.append(leaf_hash(line))
    # Without a hand-over the trusted key signs; with them, the trusted key
    # must be one of the chain, and the key in force after the last entry
    # must sign the checkpoint.
    if chain and trusted not in chain:
        raise Refused("the log key was handed over, and the trusted key is none of its keys")
    signer = chain[-1] if chain else trusted
    origin, size, root = verify_checkpoint(note, name, key_id_of(name, signer), signer)
    if len(leaves) != size:
        raise Refused(f"{len(leaves)} entries, but the checkpoint covers {size}")
    if root_of(leaves) != root:
        raise Refused("the entries do not hash to the checkpoint's root")
    handed = f", its key handed over {len(chain) - 1} time(s)" if chain else ""
    print(f"OK: {size} entries of {origin} verify against the signed checkpoint{handed}")


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
