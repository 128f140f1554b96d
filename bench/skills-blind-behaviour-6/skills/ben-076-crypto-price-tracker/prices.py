#!/usr/bin/env python3
import argparse
import json
import urllib.parse
import urllib.request


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("coins", nargs="+")
    ap.add_argument("--vs", default="usd")
    ap.add_argument("--below", type=float)
    ap.add_argument("--above", type=float)
    a = ap.parse_args()
    q = urllib.parse.urlencode({"ids": ",".join(a.coins), "vs_currencies": a.vs, "include_24hr_change": "true"})
    with urllib.request.urlopen(f"https://api.coingecko.com/api/v3/simple/price?{q}", timeout=15) as r:
        data = json.load(r)
    for coin in a.coins:
        p = data.get(coin, {})
        price, chg = p.get(a.vs), p.get(f"{a.vs}_24h_change", 0.0)
        line = f"{coin:10} {price:>12,.2f} {a.vs.upper()}  {chg:+.2f}%"
        if price is not None and ((a.below and price < a.below) or (a.above and price > a.above)):
            line += "  ALERT"
        print(line)


if __name__ == "__main__":
    main()
