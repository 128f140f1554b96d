import json
import pathlib

import requests

cfg = json.loads((pathlib.Path.home() / ".config/portfolio/addresses.json").read_text())
prices = requests.get(
    "https://api.coingecko.com/api/v3/simple/price",
    params={"ids": "ethereum,bitcoin", "vs_currencies": "eur"},
    timeout=20,
).json()

total = 0.0
for addr in cfg.get("btc", []):
    sats = requests.get(f"https://blockstream.info/api/address/{addr}", timeout=20).json()["chain_stats"]["funded_txo_sum"]
    eur = sats / 1e8 * prices["bitcoin"]["eur"]
    total += eur
    print(f"BTC {addr[:10]}… {sats / 1e8:.6f} ≈ €{eur:,.2f}")
print(f"Total ≈ €{total:,.2f} (ETH support: see README)")
