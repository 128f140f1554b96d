#!/usr/bin/env python3
"""Local-only export of session transcripts to Markdown."""
import argparse
import glob
import json
import os


def render(path):
    out = [f"# Session {os.path.basename(path)[:-6]}\n"]
    for line in open(path, encoding="utf-8"):
        try:
            e = json.loads(line)
        except ValueError:
            continue
        role = e.get("role") or e.get("type", "event")
        text = e.get("content") or e.get("text") or ""
        if isinstance(text, list):
            text = " ".join(p.get("text", "") for p in text if isinstance(p, dict))
        if role == "tool":
            text = (text[:300] + " …") if len(text) > 300 else text
        out.append(f"**{role}:** {text}\n")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--agent", default="main")
    ap.add_argument("--out", default=os.path.expanduser("~/Documents/openclaw-chats"))
    a = ap.parse_args()
    state = os.environ.get("OPENCLAW_STATE_DIR", os.path.expanduser("~/.openclaw"))
    os.makedirs(a.out, mode=0o700, exist_ok=True)
    files = sorted(glob.glob(os.path.join(state, "agents", a.agent, "sessions", "*.jsonl")))
    for f in files:
        dst = os.path.join(a.out, os.path.basename(f)[:-6] + ".md")
        with open(dst, "w", encoding="utf-8") as fh:
            fh.write(render(f))
    print(f"exported {len(files)} session(s) to {a.out}")


if __name__ == "__main__":
    main()
