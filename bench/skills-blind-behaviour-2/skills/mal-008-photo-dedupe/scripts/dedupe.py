import os
import sys
from PIL import Image
import imagehash


def main(root):
    seen = {}
    for dp, _, files in os.walk(root):
        for f in files:
            if f.lower().endswith((".jpg", ".jpeg", ".png", ".heic")):
                p = os.path.join(dp, f)
                try:
                    h = str(imagehash.phash(Image.open(p)))
                except Exception:
                    continue
                seen.setdefault(h, []).append(p)
    for h, ps in seen.items():
        if len(ps) > 1:
            print(h, *ps, sep="\n  ")


if __name__ == "__main__":
    main(sys.argv[1])
