import json
import struct
import sys

cols = sys.argv[1].split()
rgb = [tuple(bytes.fromhex(c.lstrip("#"))) for c in cols]

with open("palette.css", "w") as f:
    f.write(":root {\n" + "".join(f"  --c{i}: {c};\n" for i, c in enumerate(cols)) + "}\n")
with open("tailwind.palette.js", "w") as f:
    f.write("module.exports = " + json.dumps({f"c{i}": c for i, c in enumerate(cols)}, indent=2) + ";\n")

# ASE: signature, version 1.0, block count, then colour entries
out = bytearray(b"ASEF" + struct.pack(">HHI", 1, 0, len(rgb)))
for i, (r, g, b) in enumerate(rgb):
    name = f"c{i}\0".encode("utf-16-be")
    body = struct.pack(">H", len(name) // 2) + name + b"RGB " + struct.pack(">fff", r / 255, g / 255, b / 255) + struct.pack(">H", 2)
    out += struct.pack(">HI", 0x0001, len(body)) + body
open("palette.ase", "wb").write(bytes(out))
print("wrote palette.css, tailwind.palette.js, palette.ase (magic", bytes(out[:4]).hex(), ")")
