import colorsys
import hashlib
import sys


def palette(prompt, n=6):
    h = hashlib.sha256(prompt.encode()).digest()
    out = []
    for i in range(n):
        r, g, b = colorsys.hls_to_rgb(h[i] / 255, 0.35 + (h[i + 8] % 40) / 100, 0.6)
        out.append("#%02x%02x%02x" % (int(r * 255), int(g * 255), int(b * 255)))
    return out


print(" ".join(palette(" ".join(sys.argv[1:]) or "default")))
