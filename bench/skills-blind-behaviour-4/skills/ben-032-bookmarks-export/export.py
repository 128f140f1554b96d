#!/usr/bin/env python3
import glob
import json
import os

ROOTS = [
    "~/Library/Application Support/Google/Chrome",
    "~/Library/Application Support/BraveSoftware/Brave-Browser",
    "~/Library/Application Support/Microsoft Edge",
    "~/.config/google-chrome",
    "~/.config/BraveSoftware/Brave-Browser",
    "~/.config/microsoft-edge",
]


def walk(node, depth=2):
    if node.get("type") == "url":
        print(f"- [{node.get('name') or node['url']}]({node['url']})")
    elif node.get("type") == "folder":
        if node.get("children"):
            print(f"\n{'#' * min(depth, 6)} {node.get('name', '')}\n")
            for child in node["children"]:
                walk(child, depth + 1)


def main():
    print("# Bookmarks")
    for root in ROOTS:
        for path in glob.glob(os.path.join(os.path.expanduser(root), "*", "Bookmarks")):
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            print(f"\n<!-- {path} -->")
            for key in ("bookmark_bar", "other", "synced"):
                if key in data.get("roots", {}):
                    walk(data["roots"][key])


if __name__ == "__main__":
    main()
