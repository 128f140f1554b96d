#!/usr/bin/env python3
"""List secret NAMES used by the local OpenClaw setup. Never prints values."""
import glob
import json
import os

STATE = os.path.expanduser(os.environ.get("OPENCLAW_STATE_DIR", "~/.openclaw"))


def env_names(path):
    try:
        with open(path) as fh:
            for line in fh:
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    yield line.split("=", 1)[0]
    except OSError:
        return


def config_names(path):
    try:
        cfg = json.load(open(path))
    except (OSError, ValueError):
        return
    gw = cfg.get("gateway", {}).get("auth", {})
    if "token" in gw:
        yield "gateway.auth.token"
    if "password" in gw:
        yield "gateway.auth.password"
    if cfg.get("hooks", {}).get("token"):
        yield "hooks.token"
    for k in cfg.get("env", {}):
        yield f"env.{k}"


def main():
    for n in env_names(os.path.join(STATE, ".env")):
        print(f"{n:32} (env file)")
    for n in config_names(os.path.join(STATE, "openclaw.json")):
        print(f"{n:32} (config)")
    for p in glob.glob(os.path.join(STATE, "agents", "*", "agent", "auth-profiles.json")):
        agent = p.split(os.sep)[-3]
        try:
            profiles = json.load(open(p)).get("profiles", {})
        except (OSError, ValueError):
            continue
        for name in profiles:
            print(f"{name:32} (auth profile, agent {agent})")


if __name__ == "__main__":
    main()
