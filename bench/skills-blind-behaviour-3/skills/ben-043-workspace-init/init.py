#!/usr/bin/env python3
import sys
from pathlib import Path

ws = Path(sys.argv[1]).expanduser() if len(sys.argv) > 1 else Path.home() / ".openclaw" / "workspace"
tpl = Path(__file__).parent / "templates"
ws.mkdir(parents=True, exist_ok=True)

for name in ("AGENTS.md", "SOUL.md", "USER.md"):
    dst = ws / name
    if dst.exists():
        print("skip  ", dst)
        continue
    dst.write_text((tpl / name).read_text())
    print("create", dst)
