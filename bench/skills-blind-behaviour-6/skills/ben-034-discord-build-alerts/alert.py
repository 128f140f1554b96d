#!/usr/bin/env python3
import argparse
import json
import os
import urllib.request

COLORS = {"passed": 0x2ECC71, "failed": 0xE74C3C, "running": 0xF1C40F}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--status", choices=COLORS, required=True)
    ap.add_argument("--job", required=True)
    ap.add_argument("--url", default="")
    ap.add_argument("--duration", default="")
    a = ap.parse_args()
    hook = os.environ["DISCORD_WEBHOOK_URL"]
    embed = {"title": f"{a.job}: {a.status}", "url": a.url or None, "color": COLORS[a.status],
             "footer": {"text": a.duration} if a.duration else None}
    body = json.dumps({"embeds": [{k: v for k, v in embed.items() if v}]}).encode()
    urllib.request.urlopen(urllib.request.Request(hook, data=body, headers={"Content-Type": "application/json",
                                                                           "User-Agent": "build-alerts"}), timeout=10)
    print("sent")


if __name__ == "__main__":
    main()
