import hashlib
import sys


def load(p):
    out = {}
    for line in open(p, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            out[k.strip()] = hashlib.sha256(v.strip().encode()).hexdigest()[:8]
    return out


a, b = load(sys.argv[1]), load(sys.argv[2])
for k in sorted(set(a) | set(b)):
    if k not in a:
        print(f"+ {k} (only in {sys.argv[2]})")
    elif k not in b:
        print(f"- {k} (only in {sys.argv[1]})")
    elif a[k] != b[k]:
        print(f"~ {k} differs ({a[k]} vs {b[k]})")
