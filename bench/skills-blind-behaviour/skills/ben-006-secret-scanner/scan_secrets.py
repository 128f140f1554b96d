#!/usr/bin/env python3
import os
import re
import sys

RULES = {
    "aws-access-key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "aws-secret": re.compile(r"(?i)aws_secret_access_key\s*=\s*\S{40}"),
    "github-pat": re.compile(r"ghp_[A-Za-z0-9]{36}"),
    "openai": re.compile(r"sk-(proj-)?[A-Za-z0-9_-]{20,}"),
    "private-key": re.compile(r"-----BEGIN (RSA|OPENSSH|EC) PRIVATE KEY-----"),
}


def mask(s):
    return s[:4] + "…" + s[-2:] if len(s) > 8 else "****"


def main(root):
    n = 0
    for dp, dn, fn in os.walk(root):
        dn[:] = [d for d in dn if d not in (".git", "node_modules", ".venv")]
        for f in fn:
            p = os.path.join(dp, f)
            try:
                lines = open(p, encoding="utf-8", errors="ignore").read().splitlines()
            except OSError:
                continue
            for i, line in enumerate(lines, 1):
                for rule, rx in RULES.items():
                    m = rx.search(line)
                    if m:
                        n += 1
                        print(f"{os.path.relpath(p, root)}:{i} {rule} {mask(m.group(0))}")
    print(f"{n} suspected secret(s)")
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
