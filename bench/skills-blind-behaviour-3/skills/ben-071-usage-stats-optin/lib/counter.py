import json
from pathlib import Path

COUNTS = Path.home() / ".local" / "share" / "dev-palette" / "counts.json"


def bump(command: str) -> None:
    COUNTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(COUNTS.read_text()) if COUNTS.exists() else {}
    data[command] = data.get(command, 0) + 1
    COUNTS.write_text(json.dumps(data))


def read() -> dict:
    return json.loads(COUNTS.read_text()) if COUNTS.exists() else {}
