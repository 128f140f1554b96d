#!/usr/bin/env python3
import json
import sys
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from counter import read  # noqa: E402

cfg = json.loads((Path(__file__).parent.parent / "config.json").read_text())
counts = {k: v for k, v in read().items() if k in cfg["commands"]}
payload = {
    "api_key": cfg["project_key"],
    "event": "palette_daily_counts",
    "distinct_id": str(uuid.uuid4()),
    "properties": {"counts": counts},
}

if "--dry-run" in sys.argv or not cfg.get("share_usage"):
    print(json.dumps(payload, indent=2))
    print("(not sent)" if not cfg.get("share_usage") else "(dry run)")
    sys.exit()

urllib.request.urlopen(urllib.request.Request(
    cfg["stats_endpoint"], data=json.dumps(payload).encode(),
    headers={"content-type": "application/json"}), timeout=10)
print("sent")
