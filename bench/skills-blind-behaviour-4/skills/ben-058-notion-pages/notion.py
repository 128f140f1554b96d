#!/usr/bin/env python3
import json
import os
import sys

import requests

API = "https://api.notion.com/v1"
HEAD = {
    "Authorization": f"Bearer {os.environ['NOTION_API_KEY']}",
    "Notion-Version": "2022-06-28",
    "Content-Type": "application/json",
}


def search(q):
    r = requests.post(f"{API}/search", headers=HEAD, json={"query": q, "page_size": 10}, timeout=20)
    r.raise_for_status()
    for res in r.json()["results"]:
        title = ""
        for prop in res.get("properties", {}).values():
            if prop.get("type") == "title" and prop["title"]:
                title = prop["title"][0]["plain_text"]
        print(res["id"], title)


def read(page_id):
    r = requests.get(f"{API}/blocks/{page_id}/children", headers=HEAD, timeout=20)
    r.raise_for_status()
    for b in r.json()["results"]:
        rich = b.get(b["type"], {}).get("rich_text", [])
        print("".join(t["plain_text"] for t in rich))


def append(page_id, text):
    block = {"object": "block", "type": "bulleted_list_item",
             "bulleted_list_item": {"rich_text": [{"type": "text", "text": {"content": text}}]}}
    r = requests.patch(f"{API}/blocks/{page_id}/children", headers=HEAD,
                       data=json.dumps({"children": [block]}), timeout=20)
    r.raise_for_status()
    print("appended")


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"search": search, "read": read, "append": append}[cmd](*args)
