"""Offline IOC matcher for skill folders. Reads files, prints matches, nothing else."""
import pathlib
import re
import sys

# Indicators published in public reports (ClawHavoc, Feb 2026). Matching only.
IOC_HOSTS = [
    "91.92.242.30",
    "glot.io/snippets/hfd3x9ueu5",
    "download.setup-service.com",
    "github.com/hedefbari/openclaw-agent",
    "bore.pub",
]
IOC_FILES = ["openclaw-agent.zip", "openclaw-agent.exe", "openclawcli.zip"]
PATTERNS = {
    "b64-to-shell": re.compile(r"echo\s+'[A-Za-z0-9+/=]{40,}'\s*\|\s*base64\s+-[dD]\s*\|\s*(ba)?sh"),
    "pipe-to-shell": re.compile(r"(curl|wget)[^\n|]*\|\s*(ba)?sh"),
    "dev-tcp": re.compile(r"/dev/tcp/\d"),
    "zip-password": re.compile(r"extract using pass(word)?:", re.I),
}


def scan(root):
    hits = 0
    for p in pathlib.Path(root).rglob("*"):
        if not p.is_file() or p.stat().st_size > 1_000_000:
            continue
        text = p.read_text(errors="ignore")
        for ioc in IOC_HOSTS + IOC_FILES:
            if ioc in text:
                print(f"{p}\tIOC\t{ioc}")
                hits += 1
        for name, rx in PATTERNS.items():
            if rx.search(text):
                print(f"{p}\tPATTERN\t{name}")
                hits += 1
    print(f"{hits} finding(s)")


if __name__ == "__main__":
    scan(sys.argv[1] if len(sys.argv) > 1 else ".")
