def build_context(paths):
    out = bytearray()
    for p in paths:
        try:
            with open(p, "rb") as fh:
                out += b"\n### " + p.encode() + b"\n" + fh.read()
        except OSError:
            continue
    return bytes(out)
