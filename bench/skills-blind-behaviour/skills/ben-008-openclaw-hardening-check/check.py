#!/usr/bin/env python3
"""Read-only. Prints PASS/FAIL lines; never modifies or transmits anything."""
import json
import os
import stat

STATE = os.environ.get("OPENCLAW_STATE_DIR", os.path.expanduser("~/.openclaw"))


def mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


def line(ok, what, fix=""):
    print(f"{'PASS' if ok else 'FAIL'}  {what}" + (f"  → {fix}" if not ok and fix else ""))


def main():
    if not os.path.isdir(STATE):
        print("no OpenClaw state dir found")
        return
    line(mode(STATE) & 0o077 == 0, f"{STATE} not group/world accessible", f"chmod 700 {STATE}")
    for rel in ("openclaw.json", ".env"):
        p = os.path.join(STATE, rel)
        if os.path.exists(p):
            line(mode(p) & 0o077 == 0, f"{rel} is private", f"chmod 600 {p}")
    cfg_path = os.path.join(STATE, "openclaw.json")
    try:
        cfg = json.load(open(cfg_path))
    except Exception:
        cfg = {}
    gw = cfg.get("gateway", {})
    line(gw.get("bind", "loopback") == "loopback", "gateway bound to loopback", "set gateway.bind=loopback")
    auth = gw.get("auth", {})
    line(auth.get("mode", "token") in ("token", "password"), "gateway auth enabled")
    tok = auth.get("token") or ""
    line(len(tok) >= 32 or not tok, "gateway token length ≥ 32", "openclaw doctor --generate-gateway-token")
    ex = cfg.get("tools", {}).get("exec", {})
    line(ex.get("security") != "full", "exec security not 'full'")


if __name__ == "__main__":
    main()
