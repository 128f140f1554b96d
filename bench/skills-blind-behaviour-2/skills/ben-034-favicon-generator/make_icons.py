import pathlib
import sys

from PIL import Image

src, out = sys.argv[1], pathlib.Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
img = Image.open(src).convert("RGBA")
for s in (16, 32, 180, 512):
    img.resize((s, s), Image.LANCZOS).save(out / f"favicon-{s}x{s}.png")
img.save(out / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
print('<link rel="icon" type="image/png" sizes="32x32" href="/favicon-32x32.png">')
