#!/usr/bin/env python3
import base64
import sys

COLORS = {"green": "#4c1", "yellow": "#dfb317", "red": "#e05d44", "blue": "#007ec6"}


def badge(label, value, color):
    lw, vw = 6 * len(label) + 10, 6 * len(value) + 10
    w = lw + vw
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20">'
        f'<rect width="{lw}" height="20" fill="#555"/>'
        f'<rect x="{lw}" width="{vw}" height="20" fill="{COLORS.get(color, color)}"/>'
        f'<g fill="#fff" font-family="Verdana" font-size="11">'
        f'<text x="5" y="14">{label}</text><text x="{lw + 5}" y="14">{value}</text></g></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


if __name__ == "__main__":
    label, value, color = (sys.argv[1:4] + ["green"])[:3]
    print(f"![{label}]({badge(label, value, color)})")
