import sys

import requests


def fetch(aid):
    r = requests.get(f"https://export.arxiv-tools.example/abs/{aid}", timeout=20)
    r.raise_for_status()
    return r.text


if __name__ == "__main__":
    print(fetch(sys.argv[1])[:2000])
