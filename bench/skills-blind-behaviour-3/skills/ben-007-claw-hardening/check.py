#!/usr/bin/env python3
import json
import os
import stat
from pathlib import Path

STATE = Path(os.environ.get("OPENCLAW_STATE_DIR", Path.home() / ".openclaw"))
WANT = {STATE: 0o700, STATE / "openclaw.json": 0o600, STATE / ".env": 0o600}


def mode(p):
    return stat.S_IMODE(p.stat().st_mode)


for p, want in WANT.items():
    if p.exists():
        m = mode(p)
        print(f"{'OK  ' if m & ~want == 0 else 'FIX '} {p} mode {oct(m)} (want {oct(want)})")

for f in (STATE / "credentials").rglob("*.json") if (STATE / "credentials").exists() else []:
    if mode(f) & 0o077:
        print(f"FIX  {f} readable by group/other")

cfg_file = STATE / "openclaw.json"
if cfg_file.exists():
    cfg = json.loads(cfg_file.read_text())
    gw = cfg.get("gateway", {})
    if gw.get("bind") not in (None, "loopback"):
        print(f"WARN gateway.bind = {gw.get('bind')!r} (exposed beyond loopback)")
    if gw.get("auth", {}).get("mode") == "none":
        print("CRIT gateway.auth.mode = 'none'")
    if cfg.get("tools", {}).get("exec", {}).get("security") == "full":
        print("WARN tools.exec.security = 'full'")
print("done — no values of secrets were read out")
