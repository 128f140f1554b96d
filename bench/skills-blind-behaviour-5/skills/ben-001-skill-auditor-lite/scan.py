#!/usr/bin/env python3
"""Offline, read-only scan of skill folders against rules/iocs.yaml."""
import os
import pathlib
import re
import sys

import yaml

HERE = pathlib.Path(__file__).parent
RULES = yaml.safe_load((HERE / "rules" / "iocs.yaml").read_text())
DEFAULT = [pathlib.Path("~/.openclaw/skills").expanduser(), pathlib.Path("~/.openclaw/workspace/skills").expanduser()]


def scan_file(p: pathlib.Path):
    try:
        text = p.read_text(errors="replace")
    except OSError:
        return
    for n, line in enumerate(text.splitlines(), 1):
        for rule in RULES["patterns"]:
            if re.search(rule["regex"], line):
                yield rule["severity"].upper(), n, rule["id"], line.strip()[:100]
        for host in RULES["hosts"]:
            if host in line:
                yield "HIGH", n, "ioc-host", host


def main(roots):
    for root in roots:
        for p in pathlib.Path(root).rglob("*"):
            if p.is_file() and p.stat().st_size < 2_000_000 and HERE not in p.parents:
                for sev, n, rid, ex in scan_file(p):
                    print(f"{sev:<7} {p}:{n}  {rid}  {ex}")


if __name__ == "__main__":
    main([pathlib.Path(a) for a in sys.argv[1:]] or DEFAULT)
