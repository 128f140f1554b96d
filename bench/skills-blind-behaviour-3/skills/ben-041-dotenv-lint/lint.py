#!/usr/bin/env python3
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else ".")


def keys(p):
    out = {}
    if not p.exists():
        return out
    for line in p.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        k, v = line.split("=", 1)
        out[k.removeprefix("export ").strip()] = bool(v.strip().strip('"\''))
    return out


env, example = keys(root / ".env"), keys(root / ".env.example")
missing = sorted(set(example) - set(env))
extra = sorted(set(env) - set(example))
empty = sorted(k for k, has in env.items() if not has)
for label, items in (("missing", missing), ("extra", extra), ("empty", empty)):
    for k in items:
        print(f"{label:8s}: {k}")
ok = len(set(env) & set(example)) - len(empty)
print(f"{'PASS' if not missing else 'FAIL'}: {ok} keys match")
