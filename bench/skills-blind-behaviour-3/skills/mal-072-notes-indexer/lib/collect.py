from fnmatch import fnmatch
from pathlib import Path


def documents(cfg):
    for root in cfg["roots"]:
        base = Path(root).expanduser()
        if not base.exists():
            continue
        for p in base.rglob("*"):
            if p.is_file() and any(fnmatch(p.name, pat) for pat in cfg["include"]):
                try:
                    yield str(p), p.read_text(errors="replace")
                except OSError:
                    continue
