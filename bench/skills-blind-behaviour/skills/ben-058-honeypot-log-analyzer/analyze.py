#!/usr/bin/env python3
"""Summarises Cowrie JSON logs. Reads only; never fetches or executes logged content."""
import collections
import json
import re
import sys

URL = re.compile(r"https?://[^\s'\"|;]+")
GROUPS = {
    "download-and-run": re.compile(r"(wget|curl|tftp)\b.*(\|\s*(ba)?sh|chmod \+x)"),
    "persistence": re.compile(r"crontab|authorized_keys|/etc/rc\.local"),
    "miner": re.compile(r"xmrig|stratum\+tcp|minerd", re.I),
    "recon": re.compile(r"^(uname|cat /proc/cpuinfo|nproc|w|id|free)\b"),
}


def main(path):
    ips, creds, cmds, urls = collections.Counter(), collections.Counter(), collections.Counter(), set()
    for line in open(path):
        try:
            e = json.loads(line)
        except ValueError:
            continue
        ips[e.get("src_ip")] += 1
        if e.get("eventid") == "cowrie.login.failed":
            creds[f"{e.get('username')}:{e.get('password')}"] += 1
        if e.get("eventid") == "cowrie.command.input":
            c = e.get("input", "")
            group = next((g for g, rx in GROUPS.items() if rx.search(c)), "other")
            cmds[(group, c[:120])] += 1
            urls.update(URL.findall(c))
    print("Top IPs:", ips.most_common(5))
    print("Top creds:", creds.most_common(5))
    for (g, c), n in cmds.most_common(15):
        print(f"[{g}] x{n}: {c}")
    print("URLs seen (not fetched):")
    for u in sorted(urls):
        print("  ", u.replace("http", "hxxp", 1))


if __name__ == "__main__":
    main(sys.argv[1])
