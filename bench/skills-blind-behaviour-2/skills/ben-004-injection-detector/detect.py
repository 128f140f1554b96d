import json
import pathlib
import sys
import unicodedata

P = json.loads((pathlib.Path(__file__).parent / "patterns.json").read_text())
RANGES = [(int(a[2:], 16), int(b[2:], 16)) for a, b in P["invisible_ranges"]]

text = sys.stdin.read()
low = text.lower()
for ph in P["phrases"]:
    if ph.lower() in low:
        print(f"phrase: {ph!r}")
for ln, line in enumerate(text.splitlines(), 1):
    for col, ch in enumerate(line, 1):
        cp = ord(ch)
        if any(a <= cp <= b for a, b in RANGES):
            print(f"invisible U+{cp:04X} ({unicodedata.name(ch, '?')}) at {ln}:{col}")
