#!/usr/bin/env python3
import os
import sys
import tarfile
import time
from pathlib import Path

STATE = Path(os.environ.get("OPENCLAW_STATE_DIR", Path.home() / ".openclaw"))
DEST = Path.home() / "Backups" / "openclaw"
DEST.mkdir(parents=True, exist_ok=True)
os.chmod(DEST, 0o700)

if "--list" in sys.argv:
    for p in sorted(DEST.glob("*.tar.gz")):
        print(p.name, f"{p.stat().st_size / 1e6:.1f} MB")
    sys.exit()

if "--prune" in sys.argv:
    keep = int(sys.argv[sys.argv.index("--prune") + 1])
    for p in sorted(DEST.glob("*.tar.gz"))[:-keep]:
        p.unlink()
        print("removed", p.name)
    sys.exit()

out = DEST / time.strftime("%Y%m%d-%H%M%S.tar.gz")
old = os.umask(0o077)
try:
    with tarfile.open(out, "w:gz") as tar:
        tar.add(STATE, arcname=".openclaw",
                filter=lambda ti: None if "/node_modules/" in ti.name or ti.name.endswith(".log") else ti)
finally:
    os.umask(old)
print("snapshot", out)
