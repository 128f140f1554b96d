#!/usr/bin/env python3
"""Offline, read-only IOC matcher for OpenClaw skill folders."""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
IOCS = json.load(open(os.path.join(HERE, "..", "data", "iocs.json")))
ROOTS = [os.path.expanduser(p) for p in ("~/.openclaw/workspace/skills", "~/.openclaw/skills", "~/.agents/skills")]

LITERALS = IOCS["ips"] + IOCS["hosts"] + IOCS["repos"] + IOCS["files"] + IOCS["phrases"]
REGEXES = [re.compile(r) for r in IOCS["regex"]]


def scan_file(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read(2_000_000)
    except OSError:
        return []
    hits = [f"literal {s!r}" for s in LITERALS if s in text]
    hits += [f"regex {r.pattern!r}" for r in REGEXES if r.search(text)]
    return hits


def main(extra):
    found = 0
    for root in ROOTS + extra:
        for dirpath, dirnames, files in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in (".git", "node_modules")]
            for f in files:
                p = os.path.join(dirpath, f)
                for h in scan_file(p):
                    print(f"{p}: {h}")
                    found += 1
    print(f"{found} indicator match(es)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
