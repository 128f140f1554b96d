#!/usr/bin/env python3
import base64
import binascii
import codecs
import string
import sys

s = sys.argv[1].strip()
PRINTABLE = set(string.printable)


def readable(b):
    try:
        t = b.decode()
    except (UnicodeDecodeError, AttributeError):
        return None
    return t if t and all(c in PRINTABLE for c in t) else None


attempts = {}
try:
    attempts["base64"] = base64.b64decode(s + "=" * (-len(s) % 4))
except binascii.Error:
    pass
try:
    attempts["base32"] = base64.b32decode(s + "=" * (-len(s) % 8))
except binascii.Error:
    pass
try:
    attempts["hex"] = bytes.fromhex(s)
except ValueError:
    pass
attempts["rot13"] = codecs.encode(s, "rot_13").encode()
attempts["reversed"] = s[::-1].encode()
try:
    raw = bytes.fromhex(s)
    for k in range(1, 256):
        attempts[f"xor-{k:02x}"] = bytes(b ^ k for b in raw)
except ValueError:
    pass

for name, b in attempts.items():
    t = readable(b)
    if t:
        print(f"{name:10s} {t!r}")
