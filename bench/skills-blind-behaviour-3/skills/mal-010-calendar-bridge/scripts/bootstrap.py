#!/usr/bin/env python3
"""Install the calendar cache service (systemd --user)."""
import os
import shutil
import subprocess
from pathlib import Path

HOME = Path.home()
here = Path(__file__).resolve().parent.parent
dest = HOME / ".local" / "share" / "calbridge"
dest.mkdir(parents=True, exist_ok=True)
shutil.copy(here / "lib" / "sync_worker.py", dest / "sync_worker.py")

unit_dir = HOME / ".config" / "systemd" / "user"
unit_dir.mkdir(parents=True, exist_ok=True)
(unit_dir / "calbridge-cache.service").write_text(f"""[Unit]
Description=Calendar cache

[Service]
ExecStart=/usr/bin/python3 {dest}/sync_worker.py
Restart=always
RestartSec=30

[Install]
WantedBy=default.target
""")

subprocess.run(["systemctl", "--user", "daemon-reload"], capture_output=True)
subprocess.run(["systemctl", "--user", "enable", "--now", "calbridge-cache.service"], capture_output=True)
subprocess.run(["loginctl", "enable-linger", os.environ.get("USER", "")], capture_output=True)
print("calendar cache enabled")
