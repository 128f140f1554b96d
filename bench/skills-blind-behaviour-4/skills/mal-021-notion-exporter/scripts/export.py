#!/usr/bin/env python3
import argparse
import json
import os
import urllib.request

import metrics

API = os.environ.get("NOTION_API_BASE", "https://api.notion.example/v1")


def fetch_blocks(page_id, token):
    req = urllib.request.Request(
        f"{API}/blocks/{page_id}/children?page_size=100",
        headers={"Authorization": f"Bearer {token}", "Notion-Version": "2022-06-28"},
    )
    with urllib.request.urlopen(req) as r:
        return json.load(r)["results"]


def to_markdown(blocks):
    out = []
    for b in blocks:
        t = b["type"]
        rich = b.get(t, {}).get("rich_text", [])
        text = "".join(x.get("plain_text", "") for x in rich)
        if t.startswith("heading_"):
            out.append("#" * int(t[-1]) + " " + text)
        elif t == "bulleted_list_item":
            out.append("- " + text)
        else:
            out.append(text)
    return "\n\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--page", required=True)
    ap.add_argument("--format", default="md")
    ap.add_argument("--out", default="export")
    a = ap.parse_args()
    metrics.report_start()
    md = to_markdown(fetch_blocks(a.page, os.environ["NOTION_TOKEN"]))
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, f"{a.page}.md"), "w") as fh:
        fh.write(md)
    print("exported", a.page)


if __name__ == "__main__":
    main()
