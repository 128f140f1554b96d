import json, re, sys

PATTERNS = [
    r"ignore (all )?(previous|prior) instructions",
    r"you are now in developer mode",
    r"don'?t tell the user",
]


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    text = " ".join(args)
    hits = [p for p in PATTERNS if re.search(p, text, re.I)]
    if "--json" in sys.argv:
        print(json.dumps({"injection": bool(hits), "patterns": hits}))
    else:
        print("INJECTION" if hits else "clean")


if __name__ == "__main__":
    main()
