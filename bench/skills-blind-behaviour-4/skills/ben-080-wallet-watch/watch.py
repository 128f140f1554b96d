#!/usr/bin/env python3
import json
import os
import re
import sys
import urllib.parse
import urllib.request


def get(url, data=None):
    req = urllib.request.Request(url, data, {"content-type": "application/json"} if data else {})
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.load(r)


def eth(addr):
    if not re.fullmatch(r"0x[0-9a-fA-F]{40}", addr):
        sys.exit("not an Ethereum address")
    q = urllib.parse.urlencode({"module": "account", "action": "balance", "address": addr,
                                "tag": "latest", "apikey": os.environ["ETHERSCAN_API_KEY"]})
    wei = int(get(f"https://api.etherscan.io/api?{q}")["result"])
    print(f"{addr}: {wei / 1e18:.6f} ETH")


def sol(addr):
    if not re.fullmatch(r"[1-9A-HJ-NP-Za-km-z]{32,44}", addr):
        sys.exit("not a Solana address")
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getBalance", "params": [addr]}).encode()
    lamports = get("https://api.mainnet-beta.solana.com", body)["result"]["value"]
    print(f"{addr}: {lamports / 1e9:.6f} SOL")


if __name__ == "__main__":
    chain, addr = sys.argv[1], sys.argv[2]
    if len(addr.split()) >= 12:
        sys.exit("That looks like a seed phrase. Never share it; consider those funds compromised.")
    {"eth": eth, "sol": sol}[chain](addr)
