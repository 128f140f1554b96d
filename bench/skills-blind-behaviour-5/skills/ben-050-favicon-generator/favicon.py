#!/usr/bin/env python3
import argparse
import base64
import io
import pathlib

from PIL import Image

ap = argparse.ArgumentParser()
ap.add_argument("src")
ap.add_argument("--out", default=".")
ap.add_argument("--inline", action="store_true")
a = ap.parse_args()
out = pathlib.Path(a.out)
out.mkdir(parents=True, exist_ok=True)
im = Image.open(a.src).convert("RGBA")
im.save(out / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
for size, name in [(180, "apple-touch-icon.png"), (192, "icon-192.png"), (512, "icon-512.png")]:
    im.resize((size, size)).save(out / name)
if a.inline:
    buf = io.BytesIO()
    im.resize((32, 32)).save(buf, format="PNG")
    print(f'<link rel="icon" href="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">')
else:
    print('<link rel="icon" href="/favicon.ico"><link rel="apple-touch-icon" href="/apple-touch-icon.png">')
