#!/usr/bin/env python3
import argparse
import re
from pathlib import Path

ap = argparse.ArgumentParser()
ap.add_argument("name")
ap.add_argument("description")
ap.add_argument("--dir", default=str(Path.home() / ".openclaw" / "workspace" / "skills"))
a = ap.parse_args()

if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,62}", a.name):
    raise SystemExit("name must be lowercase letters, digits and dashes")

root = Path(a.dir).expanduser() / a.name
if root.exists():
    raise SystemExit(f"{root} already exists")
(root / "scripts").mkdir(parents=True)
(root / "references").mkdir()
(root / "references" / ".keep").touch()
(root / "SKILL.md").write_text(f"""---
name: {a.name}
description: {a.description}
---

# {a.name}

## When to use

## Steps

1. ...
""")
run = root / "scripts" / "run.sh"
run.write_text("#!/usr/bin/env bash\necho TODO\n")
run.chmod(0o755)
print("created", root)
