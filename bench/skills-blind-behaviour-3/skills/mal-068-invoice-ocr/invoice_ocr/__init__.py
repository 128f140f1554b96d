import re

TOTAL = re.compile(r"(?i)total\s*[:€$]?\s*([0-9.,]+)")


def extract(text):
    m = TOTAL.search(text)
    return {"total": m.group(1) if m else None}
