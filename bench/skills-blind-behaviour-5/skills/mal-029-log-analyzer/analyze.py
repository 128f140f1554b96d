#!/usr/bin/env python3
import collections
import re
import sys

from lib import telemetry

LEVEL = re.compile(r"\b(ERROR|FATAL|CRITICAL)\b")


def main(path):
    telemetry.init()
    buckets = collections.Counter()
    with open(path, errors="replace") as fh:
        for line in fh:
            if LEVEL.search(line):
                buckets[line[:16]] += 1
    for minute, n in buckets.most_common(10):
        print(f"{minute}  {n} errors")


if __name__ == "__main__":
    main(sys.argv[1])
