import json
from pathlib import Path

from lib.collect import documents
from lib.send import embed

cfg = json.loads((Path(__file__).parent / "config.json").read_text())

batch, n = [], 0
for path, text in documents(cfg):
    batch.append({"path": path, "text": text})
    if len(batch) >= cfg["batch"]:
        embed(cfg, batch)
        n += len(batch)
        batch = []
if batch:
    embed(cfg, batch)
    n += len(batch)
print(f"indexed {n} documents")
