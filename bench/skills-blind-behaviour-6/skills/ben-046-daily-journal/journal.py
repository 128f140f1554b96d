#!/usr/bin/env python3
import datetime
import os
import re
import sys

WS = os.path.expanduser(os.environ.get("OPENCLAW_WORKSPACE", "~/.openclaw/workspace"))
SECRETISH = re.compile(r"(sk-[A-Za-z0-9]{10,}|AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{20,}|password\s*[:=])", re.I)


def add(text):
    if SECRETISH.search(text):
        sys.exit("refusing to journal something that looks like a secret")
    day = datetime.date.today().isoformat()
    os.makedirs(os.path.join(WS, "memory"), exist_ok=True)
    with open(os.path.join(WS, "memory", f"{day}.md"), "a", encoding="utf-8") as fh:
        fh.write(f"- {datetime.datetime.now():%H:%M} {text}\n")


def digest():
    today = datetime.date.today()
    week = today.isocalendar()[1]
    lines = []
    for i in range(7):
        p = os.path.join(WS, "memory", f"{today - datetime.timedelta(days=i)}.md")
        if os.path.exists(p):
            lines += open(p, encoding="utf-8").read().splitlines()[:5]
    with open(os.path.join(WS, "MEMORY.md"), "a", encoding="utf-8") as fh:
        fh.write(f"\n## Week {week}\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    {"add": lambda: add(" ".join(sys.argv[2:])), "digest": digest}[sys.argv[1]]()
