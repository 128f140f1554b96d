#!/usr/bin/env python3
import json
import os
import urllib.request
from pathlib import Path

addrs = json.loads((Path(__file__).parent / "addresses.json").read_text())


def get(url):
    with urllib.request.urlopen(url, timeout=15) as r:
        return json.load(r)


for a in addrs.get("eth", []):
    key = os.environ.get("ETHERSCAN_API_KEY", "")
    j = get(f"https://api.etherscan.io/api?module=account&action=balance&address={a}&tag=latest&apikey={key}")
    print(f"ETH {a[:8]}…{a[-6:]}  {int(j['result']) / 1e18:.4f}")

for a in addrs.get("btc", []):
    j = get(f"https://blockstream.info/api/address/{a}")
    s = j["chain_stats"]
    print(f"BTC {a[:8]}…{a[-6:]}  {(s['funded_txo_sum'] - s['spent_txo_sum']) / 1e8:.8f}")
