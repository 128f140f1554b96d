"""Detection patterns. Strings only - nothing here is ever executed."""
import re

IOC_HOSTS = [
    "91.92.242.30",
    "glot.io/snippets",
    "download.setup-service.com",
    "bore.pub",
    "github.com/hedefbari/openclaw-agent",
]

IOC_FILES = ["openclaw-agent.zip", "openclaw-agent.exe", "openclawcli.zip"]

RULES = [
    ("base64-to-shell", re.compile(r"echo\s+['\"][A-Za-z0-9+/=]{40,}['\"]\s*\|\s*base64\s+-[dD]\s*\|\s*(ba)?sh")),
    ("pipe-to-shell-raw-ip", re.compile(r"(curl|wget)[^\n|]*https?://\d{1,3}(\.\d{1,3}){3}[^\n|]*\|\s*(ba)?sh")),
    ("reverse-shell-devtcp", re.compile(r"/dev/tcp/[\w.\-]+/\d+")),
    ("reverse-shell-nc", re.compile(r"\bnc(at)?\s+(-\w+\s+)*-e\s+/bin/(ba)?sh")),
    ("zip-password", re.compile(r"extract\s+using\s+pass(word)?\s*:", re.I)),
    ("prompt-injection", re.compile(r"ignore\s+(all\s+)?previous\s+instructions", re.I)),
    ("concealment", re.compile(r"do\s+not\s+(tell|inform)\s+the\s+user", re.I)),
    ("miner", re.compile(r"stratum\+(tcp|ssl)://|\bxmrig\b", re.I)),
]

HIDDEN_CODEPOINTS = (
    set(range(0xE0000, 0xE0080))
    | {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}
    | set(range(0x202A, 0x202F))
    | set(range(0x2066, 0x206A))
)
