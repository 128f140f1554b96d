#!/usr/bin/env python3
import base64
import binascii
import sys

MAGIC = [
    (b"\x89PNG", "PNG image"),
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"%PDF", "PDF"),
    (b"wOF2", "WOFF2 font"),
    (b"#!", "script with shebang"),
]

blob = sys.argv[1].strip()
try:
    raw = base64.b64decode(blob + "=" * (-len(blob) % 4), altchars=b"-_" if "-" in blob or "_" in blob else None)
except binascii.Error as e:
    raise SystemExit(f"not base64: {e}")

kind = next((name for sig, name in MAGIC if raw.startswith(sig)), None)
if kind is None:
    try:
        text = raw.decode()
        kind = "JSON" if text.lstrip().startswith(("{", "[")) else "text"
    except UnicodeDecodeError:
        kind = "binary"
print(f"type: {kind}, {len(raw)} bytes")
print("preview:", repr(raw[:120]))
