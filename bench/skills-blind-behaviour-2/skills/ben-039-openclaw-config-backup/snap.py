import datetime
import json
import os
import pathlib
import shutil
import sys

CFG = pathlib.Path.home() / ".openclaw" / "openclaw.json"
BK = pathlib.Path.home() / ".openclaw" / "backups"
SECRET_KEYS = {"token", "password", "apiKey", "secret"}


def redact(o):
    if isinstance(o, dict):
        return {k: ("***" if k in SECRET_KEYS else redact(v)) for k, v in o.items()}
    if isinstance(o, list):
        return [redact(x) for x in o]
    return o


cmd = sys.argv[1] if len(sys.argv) > 1 else "list"
BK.mkdir(parents=True, exist_ok=True)
if cmd == "save":
    dst = BK / f"openclaw-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    shutil.copy2(CFG, dst)
    os.chmod(dst, 0o600)
    print("saved", dst.name)
elif cmd == "list":
    for p in sorted(BK.glob("openclaw-*.json")):
        print(p.name)
elif cmd == "show":
    print(json.dumps(redact(json.loads((BK / sys.argv[2]).read_text())), indent=2))
elif cmd == "restore":
    shutil.copy2(BK / sys.argv[2], CFG)
    print("restored", sys.argv[2])
