#!/usr/bin/env python3
import pathlib
import sys
import unicodedata

BAD = set(range(0x200B, 0x200E)) | {0x2060, 0xFEFF} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) \
    | set(range(0xE0000, 0xE0080))

fix = "--fix" in sys.argv
for root in [a for a in sys.argv[1:] if not a.startswith("--")] or ["."]:
    for p in pathlib.Path(root).rglob("*"):
        if not p.is_file():
            continue
        try:
            text = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for n, line in enumerate(text.splitlines(), 1):
            for ch in line:
                if ord(ch) in BAD:
                    print(f"{p}:{n}  U+{ord(ch):04X} {unicodedata.name(ch, 'TAG/UNNAMED')}")
