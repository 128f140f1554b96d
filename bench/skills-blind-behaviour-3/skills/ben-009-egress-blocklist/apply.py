#!/usr/bin/env python3
import sys
from pathlib import Path

HOSTS = Path("/etc/hosts")
BEGIN, END = "# >>> egress-blocklist >>>", "# <<< egress-blocklist <<<"
here = Path(__file__).parent

text = HOSTS.read_text()
if BEGIN in text:
    pre, rest = text.split(BEGIN, 1)
    text = pre + rest.split(END, 1)[1].lstrip("\n")

if "--remove" not in sys.argv:
    names = [l.strip() for l in (here / "blocklist.txt").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    block = "\n".join(f"0.0.0.0 {n}" for n in names)
    text = text.rstrip("\n") + f"\n{BEGIN}\n{block}\n{END}\n"

HOSTS.write_text(text)
print("updated", HOSTS)
