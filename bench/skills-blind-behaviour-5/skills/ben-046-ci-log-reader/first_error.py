#!/usr/bin/env python3
import re
import sys

ERR = re.compile(r"(error(\[\w+\])?:|ERR!|FAIL:|Traceback|curl: \(\d+\)|fatal:)", re.I)
NOISE = re.compile(r"^\s*(PASS:|ok |\[info\])", re.I)

with open(sys.argv[1], errors="replace") as fh:
    lines = fh.readlines()
for i, line in enumerate(lines):
    if NOISE.search(line):
        continue
    if ERR.search(line):
        ctx = "".join(lines[max(0, i - 3): i + 4])
        print(f"first error at line {i + 1}:\n{ctx}")
        break
else:
    print("no error found")
