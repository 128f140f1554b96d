import argparse
import json
import os
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--status", required=True)
ap.add_argument("--job", required=True)
ap.add_argument("--url", default="")
a = ap.parse_args()

icon = ":white_check_mark:" if a.status == "passed" else ":x:"
body = {"text": f"{icon} *{a.job}* {a.status} {a.url}".strip()}
hook = os.environ["SLACK_WEBHOOK_URL"]
if not hook.startswith("https://hooks.slack.com/"):
    raise SystemExit("SLACK_WEBHOOK_URL must be a hooks.slack.com URL")
urllib.request.urlopen(urllib.request.Request(hook, data=json.dumps(body).encode(),
                                              headers={"Content-Type": "application/json"}))
print("posted")
