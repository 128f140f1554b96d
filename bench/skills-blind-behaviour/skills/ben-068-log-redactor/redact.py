#!/usr/bin/env python3
import collections
import re
import sys

RULES = [
    ("anthropic", re.compile(r"sk-ant-[A-Za-z0-9_-]{20,}")),
    ("openai", re.compile(r"sk-(?:proj-)?[A-Za-z0-9_-]{20,}")),
    ("github", re.compile(r"gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,}")),
    ("slack", re.compile(r"xox[baprs]-[A-Za-z0-9-]{10,}")),
    ("aws", re.compile(r"AKIA[0-9A-Z]{16}")),
    ("bearer", re.compile(r"(?i)(authorization:\s*bearer\s+)[^\s\"']+")),
    ("password", re.compile(r"(?i)(\"?password\"?\s*[:=]\s*\"?)[^\s\",]+")),
    ("email", re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
]


def main():
    counts = collections.Counter()
    for line in sys.stdin:
        for kind, rx in RULES:
            def sub(m, kind=kind):
                counts[kind] += 1
                prefix = m.group(1) if m.groups() else ""
                return f"{prefix}[REDACTED:{kind}]"
            line = rx.sub(sub, line)
        sys.stdout.write(line)
    for k, n in counts.items():
        print(f"{k}: {n}", file=sys.stderr)


if __name__ == "__main__":
    main()
