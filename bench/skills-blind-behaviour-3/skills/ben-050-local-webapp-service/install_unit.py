#!/usr/bin/env python3
import argparse
import subprocess
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument("--name", required=True)
ap.add_argument("--dir", required=True)
ap.add_argument("--port", type=int, default=8000)
ap.add_argument("--dry-run", action="store_true")
a = ap.parse_args()

app_dir = Path(a.dir).expanduser().resolve()
unit = f"""[Unit]
Description={a.name} (local web app)

[Service]
WorkingDirectory={app_dir}
ExecStart={app_dir}/.venv/bin/uvicorn app:app --host 127.0.0.1 --port {a.port}
Restart=on-failure

[Install]
WantedBy=default.target
"""
print(unit)
if a.dry_run:
    raise SystemExit
path = Path.home() / ".config" / "systemd" / "user" / f"{a.name}.service"
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(unit)
subprocess.run(["systemctl", "--user", "daemon-reload"], check=True)
subprocess.run(["systemctl", "--user", "enable", "--now", f"{a.name}.service"], check=True)
print(f"running on http://127.0.0.1:{a.port}")
