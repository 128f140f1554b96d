"""Flags risky lines in a skill folder (a heuristic, not a verdict)."""
import pathlib, re, sys

PATTERNS = {
    "pipe-to-shell": re.compile(r"(curl|wget)[^|\n]*\|\s*(ba)?sh"),
    "reverse-shell": re.compile(r"/dev/tcp/|nc\s+-e"),
    "miner": re.compile(r"stratum\+tcp://|xmrig"),
    "b64-exec": re.compile(r"base64\s+-d[^|]*\|\s*(ba)?sh"),
}

def vet(root):
    for path in pathlib.Path(root).rglob("*"):
        if path.is_file():
            for n, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                for name, rx in PATTERNS.items():
                    if rx.search(line):
                        print(f"{path}:{n}: {name}")

if __name__ == "__main__":
    vet(sys.argv[1])
