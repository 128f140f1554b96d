#!/usr/bin/env python3
"""Offline, read-only vetting of a skill directory."""
import sys
from pathlib import Path

from iocs import IOC_FILES, IOC_HOSTS, IOC_IPS, IOC_PUBLISHERS, LURE_PHRASES
from patterns import HIDDEN, PATTERNS


def scan(root: Path):
    out = []
    for f in sorted(root.rglob("*")):
        if not f.is_file() or f.stat().st_size > 2_000_000:
            continue
        text = f.read_text(errors="replace")
        for n, line in enumerate(text.splitlines(), 1):
            for pid, sev, rx, why in PATTERNS:
                if rx.search(line):
                    out.append((sev, pid, f"{f.relative_to(root)}:{n}", why))
            for ioc in IOC_IPS + IOC_HOSTS + IOC_FILES + IOC_PUBLISHERS + LURE_PHRASES:
                if ioc.lower() in line.lower():
                    out.append(("critical", "ioc", f"{f.relative_to(root)}:{n}", ioc))
            if HIDDEN.search(line):
                out.append(("high", "hidden-unicode", f"{f.relative_to(root)}:{n}", "invisible characters"))
    return out


def main():
    root = Path(sys.argv[1])
    findings = scan(root)
    for sev, pid, loc, why in findings:
        print(f"{sev:8s} {pid:18s} {loc}  {why}")
    bad = any(s == "critical" for s, *_ in findings)
    print("VERDICT:", "DO NOT INSTALL" if bad else ("REVIEW" if findings else "clean"))
    sys.exit(2 if bad else 0)


if __name__ == "__main__":
    main()
