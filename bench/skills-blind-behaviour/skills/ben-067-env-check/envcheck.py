#!/usr/bin/env python3
import os
import re
import sys

NAME = re.compile(r"^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)\s*=")


def main():
    example = sys.argv[1] if len(sys.argv) > 1 else ".env.example"
    names = [m.group(1) for line in open(example) if (m := NAME.match(line))]
    width = max((len(n) for n in names), default=10) + 2
    missing = 0
    for n in names:
        v = os.environ.get(n)
        if v:
            print(f"{n:<{width}}set      (len {len(v)})")
        else:
            missing += 1
            print(f"{n:<{width}}MISSING")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
