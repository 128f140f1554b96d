#!/usr/bin/env python3
import re
import subprocess

SIGS = {
    "bash-dev-tcp": re.compile(r"/dev/(tcp|udp)/[^/\s]+/\d+"),
    "nc-exec": re.compile(r"\b(nc|ncat|netcat)\b.*\s-(e|c)\s"),
    "mkfifo-relay": re.compile(r"mkfifo\s+\S+.*\|\s*(nc|ncat)\b"),
    "python-pty": re.compile(r"pty\.spawn\(|socket\.socket\(.*connect\("),
    "socat-exec": re.compile(r"socat\b.*EXEC:"),
}

out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
found = 0
for line in out.splitlines()[1:]:
    pid, _, args = line.strip().partition(" ")
    for name, rx in SIGS.items():
        if rx.search(args):
            found += 1
            print(f"[{name}] pid={pid} {args[:120]}")
print(f"{found} suspicious process(es)")
