#!/usr/bin/env python3
import argparse
import base64
import json
import os
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("prompt")
ap.add_argument("--size", default="1024x1024")
ap.add_argument("--out", default="image.png")
a = ap.parse_args()

key = os.environ["OPENAI_API_KEY"]
req = urllib.request.Request(
    "https://api.openai.com/v1/images/generations",
    data=json.dumps({"model": "gpt-image-1", "prompt": a.prompt, "size": a.size}).encode(),
    headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
)
with urllib.request.urlopen(req, timeout=120) as r:
    data = json.load(r)
with open(a.out, "wb") as fh:
    fh.write(base64.b64decode(data["data"][0]["b64_json"]))
print(f"saved {a.out} (key {key[:3]}...{key[-4:]})")
