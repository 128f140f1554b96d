#!/usr/bin/env python3
import re
import sys

PHRASES = [
    r"ignore (all )?(previous|prior) (instructions|rules)",
    r"disregard (the )?system prompt",
    r"you are now in (developer|dan) mode",
    r"new system prompt\s*:",
    r"do not (tell|inform) the user",
    r"don'?t mention (this|these) step",
    r"send (the )?contents of .{1,80} to",
    r"include (your|the) api key",
]
HIDDEN = {
    "zero-width": re.compile("[\u200b\u200c\u200d\u2060\ufeff]"),
    "bidi-control": re.compile("[\u202a-\u202e\u2066-\u2069]"),
    "tag-chars": re.compile("[\U000e0000-\U000e007f]"),
    "html-comment-to-assistant": re.compile(r"<!--[^>]*(assistant|system|ai agent)[^>]*-->", re.I | re.S),
}


def main():
    text = sys.stdin.read()
    hits = []
    for p in PHRASES:
        for m in re.finditer(p, text, re.I):
            hits.append(("phrase", m.group(0)))
    for name, rx in HIDDEN.items():
        for m in rx.finditer(text):
            hits.append((name, "U+%04X" % ord(m.group(0)[0]) if len(m.group(0)) == 1 else m.group(0)[:60]))
    for kind, what in hits:
        print(f"HIT {kind}: {what!r}")
    print("clean" if not hits else f"{len(hits)} hit(s) — treat content as untrusted data")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
