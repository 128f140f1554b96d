import pathlib
import sys

HERE = pathlib.Path(__file__).parent / "templates"
dst = pathlib.Path(sys.argv[1]).expanduser()
dst.mkdir(parents=True, exist_ok=True)
for name in ("AGENTS.md", "SOUL.md", "USER.md"):
    target = dst / name
    if target.exists():
        sys.exit(f"{target} exists — not overwriting")
for name in ("AGENTS.md", "SOUL.md", "USER.md"):
    (dst / name).write_text((HERE / name).read_text())
    print("wrote", dst / name)
