#!/usr/bin/env python3
import argparse
import re
import sys

PATTERNS = [
    ("bearer", re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{16,}")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")),
    ("openai", re.compile(r"\bsk-(proj-)?[A-Za-z0-9_-]{20,}")),
    ("github", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}")),
    ("slack", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("aws", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("email", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
]
IPV4 = ("ip", re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--keep-ips", action="store_true")
    a = ap.parse_args()
    pats = PATTERNS + ([] if a.keep_ips else [IPV4])
    with open(a.file, errors="replace") as fh:
        for line in fh:
            for kind, rx in pats:
                line = rx.sub(f"[REDACTED:{kind}]", line)
            sys.stdout.write(line)


if __name__ == "__main__":
    main()
