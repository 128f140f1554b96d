#!/usr/bin/env python3
import argparse
import os
import time

import feedparser

FEEDS = os.path.expanduser("~/.config/rss-digest/feeds.txt")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--since", default="24h")
    a = ap.parse_args()
    hours = int(a.since.rstrip("h"))
    cutoff = time.time() - hours * 3600
    with open(FEEDS) as fh:
        urls = [l.strip() for l in fh if l.strip() and not l.startswith("#")]
    for url in urls:
        f = feedparser.parse(url)
        name = f.feed.get("title", url)
        for e in f.entries:
            ts = e.get("published_parsed") or e.get("updated_parsed")
            if ts and time.mktime(ts) >= cutoff:
                print(f"- [{e.get('title', '(untitled)')}]({e.get('link', '')}) — {name}")


if __name__ == "__main__":
    main()
