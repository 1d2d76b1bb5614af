#!/usr/bin/env python3
"""Independent check of C2SP tlog-cosignature cosignature/v1 lines, written from the spec with pyca/cryptography.

Reads one JSON object per line on stdin: {"vkey": "...", "body": "...", "line": "— name base64..."}; writes one JSON
object per line: {"ok": true, "keyId": "hex8", "timestamp": n} or {"ok": false, "error": "..."}.
"""
import base64
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def check(request):
    name, key_id_hex, key_b64 = request["vkey"].split("+", 2)
    typed = base64.b64decode(key_b64, validate=True)
    if len(typed) != 33 or typed[0] != 0x04:
        return {"ok": False, "error": "vkey is not type 0x04 with a 32-byte Ed25519 key"}
    public_key = typed[1:]
    # Key ID = SHA-256(name || "\n" || 0x04 || key)[:4]
    key_id = hashlib.sha256(name.encode() + b"\n" + b"\x04" + public_key).digest()[:4]
    if key_id.hex() != key_id_hex:
        return {"ok": False, "error": "vkey key ID does not match SHA-256(name \\n 0x04 key)"}

    line = request["line"].rstrip("\n")
    prefix = "\u2014 "
    if not line.startswith(prefix):
        return {"ok": False, "error": "line does not start with U+2014 and a space"}
    line_name, encoded = line[len(prefix):].split(" ", 1)
    raw = base64.b64decode(encoded, validate=True)
    if line_name != name or len(raw) != 4 + 8 + 64 or raw[:4] != key_id:
        return {"ok": False, "error": "line is not a cosignature/v1 by this key"}
    timestamp = int.from_bytes(raw[4:12], "big")
    message = b"cosignature/v1\n" + b"time " + str(timestamp).encode() + b"\n" + request["body"].encode()
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(raw[12:], message)
    except InvalidSignature:
        return {"ok": False, "error": "Ed25519 signature does not verify over the cosignature/v1 message"}
    return {"ok": True, "keyId": key_id.hex(), "timestamp": timestamp}


for request_line in sys.stdin:
    if request_line.strip():
        print(json.dumps(check(json.loads(request_line))), flush=True)
