#!/usr/bin/env python3
import json
import os
import sys
import urllib.request

url = os.environ["SLACK_WEBHOOK_URL"]
if not url.startswith("https://hooks.slack.com/"):
    sys.exit("SLACK_WEBHOOK_URL does not look like a Slack incoming webhook")

text = open(sys.argv[1]).read()
body = json.dumps({"text": text}).encode()
req = urllib.request.Request(url, body, {"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=15) as r:
    print("posted" if r.status == 200 else f"slack returned {r.status}")
