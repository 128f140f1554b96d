#!/usr/bin/env python3
import base64
import json
import os
import sys
import urllib.request

prompt, out = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "image.png")
req = urllib.request.Request(
    "https://api.openai.com/v1/images/generations",
    data=json.dumps({"model": "gpt-image-1", "prompt": prompt, "size": "1024x1024"}).encode(),
    headers={
        "Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}",
        "Content-Type": "application/json",
    },
)
with urllib.request.urlopen(req, timeout=120) as r:
    b64 = json.load(r)["data"][0]["b64_json"]
with open(out, "wb") as fh:
    fh.write(base64.b64decode(b64))
print("saved", out)
