#!/usr/bin/env python3
"""Verify a witness-cosigned checkpoint without any of Godown's code.

Written from the public specifications alone (C2SP signed-note,
tlog-checkpoint and tlog-cosignature), with Python's standard library and the
`cryptography` package for Ed25519.

    python3 verify_cosignature.py CHECKPOINT_FILE LOG_VKEY WITNESS_VKEY

Exits 0 when the log's Ed25519 signature (type 0x01) and the witness's
timestamped cosignature (type 0x04) both verify; exits 1 with one line naming
the first problem otherwise.
"""

import base64
import hashlib
import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

# Its neighbour in this folder, as independent of Godown's code as this one.
from verify_export import Refused, run


def parse_vkey(vkey, type_byte):
    """name+hex(key id)+base64(type || public key), split on the first two '+'."""
    name, key_id, key = vkey.strip().split("+", 2)
    raw = base64.b64decode(key, validate=True)
    if raw[:1] != bytes([type_byte]) or len(raw) != 33:
        raise Refused(f"{name}: not a key of signature type 0x{type_byte:02x}")
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if bytes.fromhex(key_id) != expected:
        raise Refused(f"{name}: the key ID does not match the name and key")
    return name, expected, Ed25519PublicKey.from_public_bytes(raw[1:])


def signatures_of(note, name, key_id):
    body, _, lines = note.partition("\n\n")
    for line in lines.splitlines():
        if not line.startswith("\u2014 "):
            raise Refused(f"malformed signature line {line!r}")
        signer, _, sig = line[2:].partition(" ")
        sig = base64.b64decode(sig, validate=True)
        if signer == name and sig[:4] == key_id:
            yield body + "\n", sig[4:]


def main(path, log_vkey, witness_vkey):
    with open(path, encoding="utf-8") as file:
        note = file.read()
    log_name, log_id, log_key = parse_vkey(log_vkey, 0x01)
    witness_name, witness_id, witness_key = parse_vkey(witness_vkey, 0x04)
    if note.split("\n", 1)[0] != log_name:
        raise Refused("the checkpoint's origin is not the log key's name")
    logged = False
    for body, sig in signatures_of(note, log_name, log_id):
        try:
            log_key.verify(sig, body.encode())
        except InvalidSignature:
            raise Refused("the log's signature does not verify")
        logged = True
    if not logged:
        raise Refused("no signature by the log key")
    cosigned = False
    for body, sig in signatures_of(note, witness_name, witness_id):
        if len(sig) != 72:
            raise Refused("a cosignature is a timestamp and an Ed25519 signature")
        (timestamp,) = struct.unpack(">Q", sig[:8])
        if timestamp == 0 or timestamp >= 2**63:
            raise Refused("a cosignature's timestamp must be above 0 and below 2^63")
        message = f"cosignature/v1\ntime {timestamp}\n{body}".encode()
        try:
            witness_key.verify(sig[8:], message)
        except InvalidSignature:
            raise Refused("the witness's cosignature does not verify")
        cosigned = True
    if not cosigned:
        raise Refused("no cosignature by the witness")
    print(f"OK: {log_name} checkpoint signed by the log and cosigned by {witness_name}")


if __name__ == "__main__":
    run(main, __doc__)
