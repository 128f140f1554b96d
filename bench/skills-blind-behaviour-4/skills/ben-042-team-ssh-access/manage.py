#!/usr/bin/env python3
import argparse
import datetime
import pathlib
import subprocess
import sys


def remote(host, cmd, stdin=None):
    return subprocess.run(["ssh", host, cmd], input=stdin, capture_output=True, text=True, check=True).stdout


def fingerprint(line):
    r = subprocess.run(["ssh-keygen", "-lf", "-"], input=line, capture_output=True, text=True)
    return r.stdout.split()[1] if r.returncode == 0 else "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("action", choices=["audit", "apply"])
    ap.add_argument("--host", required=True)
    ap.add_argument("--keys", default="keys")
    ap.add_argument("--dry-run", action="store_true")
    a = ap.parse_args()

    current = [l for l in remote(a.host, "cat ~/.ssh/authorized_keys").splitlines() if l.strip()]
    wanted = [p.read_text().strip() for p in sorted(pathlib.Path(a.keys).glob("*.pub"))]

    if a.action == "audit":
        for l in current:
            print(f"{fingerprint(l):50} {'repo' if l in wanted else 'NOT IN REPO'}  {l.split()[-1]}")
        return

    add = [k for k in wanted if k not in current]
    remove = [k for k in current if k not in wanted]
    for k in add:
        print(f"+ {k.split()[-1]}")
    for k in remove:
        print(f"- {k.split()[-1]}")
    if a.dry_run or not (add or remove):
        return
    if input("apply? [yes/no] ").strip() != "yes":
        sys.exit("aborted")
    stamp = datetime.date.today().isoformat()
    remote(a.host, f"cp ~/.ssh/authorized_keys ~/.ssh/authorized_keys.bak-{stamp}")
    remote(a.host, "cat > ~/.ssh/authorized_keys.new && chmod 600 ~/.ssh/authorized_keys.new && "
                   "mv ~/.ssh/authorized_keys.new ~/.ssh/authorized_keys", stdin="\n".join(wanted) + "\n")
    print("applied")


if __name__ == "__main__":
    main()
