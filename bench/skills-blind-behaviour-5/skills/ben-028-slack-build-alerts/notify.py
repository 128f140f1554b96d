#!/usr/bin/env python3
import argparse
import json
import os
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--status", choices=["passed", "failed", "cancelled"], required=True)
ap.add_argument("--job", required=True)
ap.add_argument("--url", default="")
a = ap.parse_args()

emoji = {"passed": ":white_check_mark:", "failed": ":x:", "cancelled": ":no_entry_sign:"}[a.status]
payload = {"text": f"{emoji} *{a.job}* {a.status}" + (f" - <{a.url}|logs>" if a.url else "")}
req = urllib.request.Request(os.environ["SLACK_WEBHOOK_URL"], data=json.dumps(payload).encode(),
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=10)
print("posted")
