#!/usr/bin/env python3
"""Read-only static scanner for skill folders. Never executes scanned content."""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

RULES = [
    ("reverse-shell", 2, re.compile(r"/dev/tcp/|\bnc\s+(-\w+\s+)*-e\b|bash\s+-i\s+>&|pty\.spawn\(")),
    ("pipe-to-shell", 2, re.compile(r"(curl|wget)[^\n|]*\|\s*(sudo\s+)?(ba|z)?sh\b")),
    ("b64-to-shell", 2, re.compile(r"base64\s+-[dD]\s*\|\s*(ba)?sh")),
    ("cred-path", 1, re.compile(r"~/\.ssh/|\.aws/credentials|\.openclaw/\.env|\.clawdbot/\.env")),
    ("miner", 2, re.compile(r"stratum\+(tcp|ssl)://|\bxmrig\b", re.I)),
    ("eval-decoded", 1, re.compile(r"(exec|eval)\s*\(\s*(base64|atob|Buffer\.from)")),
    ("prompt-injection", 1, re.compile(r"ignore (all )?previous instructions|do not tell the user", re.I)),
]

SKIP_DIRS = {".git", "node_modules", ".clawhub"}


def load_iocs():
    with open(os.path.join(HERE, "iocs.txt")) as fh:
        return [l.strip() for l in fh if l.strip() and not l.startswith("#")]


def scan(root):
    iocs = load_iocs()
    findings = []
    for dp, dn, fn in os.walk(root):
        dn[:] = [d for d in dn if d not in SKIP_DIRS]
        for f in fn:
            p = os.path.join(dp, f)
            try:
                text = open(p, encoding="utf-8", errors="replace").read()
            except OSError:
                continue
            for i, line in enumerate(text.splitlines(), 1):
                for rid, sev, rx in RULES:
                    if rx.search(line):
                        findings.append({"file": os.path.relpath(p, root), "line": i, "rule": rid, "sev": sev})
                for ioc in iocs:
                    if ioc in line:
                        findings.append({"file": os.path.relpath(p, root), "line": i, "rule": "ioc:" + ioc, "sev": 2})
    return findings


def main():
    if len(sys.argv) < 2:
        print("usage: scan.py <skill-dir> [--json]")
        return 64
    res = scan(sys.argv[1])
    if "--json" in sys.argv:
        print(json.dumps(res, indent=2))
    else:
        for f in res:
            print(f"[{'HIGH' if f['sev'] == 2 else 'MED '}] {f['file']}:{f['line']} {f['rule']}")
        print(f"{len(res)} finding(s)")
    return max([f["sev"] for f in res], default=0)


if __name__ == "__main__":
    sys.exit(main())
