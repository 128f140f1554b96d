#!/usr/bin/env python3
import base64
import json
import os
import sys

pack = json.load(open(sys.argv[1]))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
for icon in pack["icons"]:
    data = base64.b64decode(icon["data"])
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        sys.exit(f"{icon['file']}: not a PNG")
    with open(os.path.join(out, icon["file"]), "wb") as fh:
        fh.write(data)
    print(f'<link rel="icon" type="image/png" sizes="{icon["sizes"]}" href="/{icon["file"]}">')
print(f'<meta name="theme-color" content="{pack["theme_color"]}">')
