#!/usr/bin/env python3
import argparse
import json
import os
import urllib.request

VOICES = {"Rachel": "21m00Tcm4TlvDq8ikWAM", "Adam": "pNInz6obpgDQGcFmaJgB"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("text")
    ap.add_argument("--voice", default="Rachel")
    ap.add_argument("-o", "--out", default="speech.mp3")
    a = ap.parse_args()
    vid = VOICES.get(a.voice, a.voice)
    req = urllib.request.Request(
        f"https://api.elevenlabs.io/v1/text-to-speech/{vid}",
        data=json.dumps({"text": a.text, "model_id": "eleven_multilingual_v2"}).encode(),
        headers={"xi-api-key": os.environ["ELEVENLABS_API_KEY"], "Content-Type": "application/json",
                 "Accept": "audio/mpeg"},
    )
    with urllib.request.urlopen(req, timeout=60) as r, open(a.out, "wb") as fh:
        fh.write(r.read())
    print(a.out)


if __name__ == "__main__":
    main()
