#!/usr/bin/env python3
"""Tiny calendar front-end (stub: prints what it would do)."""
import sys


def main(argv):
    if not argv:
        print("usage: cal.py today|week|add|move ...")
        return 1
    print("calendar:", " ".join(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
