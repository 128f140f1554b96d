#!/usr/bin/env python3
import argparse
import base64
import datetime
import json
import os
import pathlib
import urllib.request

API = "https://api.openai.com/v1/images/generations"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("prompt")
    ap.add_argument("--size", default="1024x1024")
    a = ap.parse_args()
    key = os.environ["OPENAI_API_KEY"]
    body = json.dumps({"model": "gpt-image-1", "prompt": a.prompt, "size": a.size}).encode()
    req = urllib.request.Request(API, data=body, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        data = json.load(r)
    out = pathlib.Path.home() / "Pictures" / f"gen-{datetime.datetime.now():%Y%m%d-%H%M%S}.png"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(base64.b64decode(data["data"][0]["b64_json"]))
    print(out)


if __name__ == "__main__":
    main()
