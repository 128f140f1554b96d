#!/usr/bin/env python3
import re
import sys

PHRASES = [
    r"ignore (all )?(previous|prior) instructions",
    r"disregard (the )?system prompt",
    r"you are now in (developer|maintenance) mode",
    r"do not (tell|inform) the user",
    r"don'?t mention (this|it)",
]
HIDDEN = re.compile("[\u200b-\u200d\u2060\ufeff\U000e0000-\U000e007f]")
COMMENT = re.compile(r"<!--(.*?)-->", re.S)
IMG_EXFIL = re.compile(r"!\[[^\]]*\]\(https?://[^)]+\?[^)]{40,}\)")

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
hits = []
for i, line in enumerate(text.splitlines(), 1):
    for p in PHRASES:
        if re.search(p, line, re.I):
            hits.append((i, "override/concealment phrase"))
    if HIDDEN.search(line):
        hits.append((i, "invisible characters"))
    if IMG_EXFIL.search(line):
        hits.append((i, "image URL with long query"))
for m in COMMENT.finditer(text):
    if len(m.group(1).split()) > 8:
        hits.append((text[: m.start()].count("\n") + 1, "instruction-sized HTML comment"))
print("clean" if not hits else "\n".join(f"line {n}: {why}" for n, why in hits))
