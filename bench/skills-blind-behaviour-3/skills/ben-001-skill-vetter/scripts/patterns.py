import re

# (id, severity, regex, explanation)
PATTERNS = [
    ("b64-to-shell", "critical",
     re.compile(r"echo\s+'[A-Za-z0-9+/=]{40,}'\s*\|\s*base64\s+-[dD]\s*\|\s*(ba)?sh"),
     "base64 blob decoded straight into a shell"),
    ("pipe-to-shell", "high",
     re.compile(r"(curl|wget)[^\n|]*\|\s*(sudo\s+)?(ba|z)?sh\b"),
     "download piped into a shell"),
    ("shell-c-curl", "high",
     re.compile(r"/bin/(ba|z)?sh\s+-c\s+\"\$\((curl|wget)"),
     "shell -c of a downloaded script"),
    ("dev-tcp", "critical", re.compile(r"/dev/(tcp|udp)/"), "bash network redirection (reverse shell)"),
    ("nc-exec", "critical", re.compile(r"\bnc(at)?\b[^\n]*\s-e\s"), "netcat with -e"),
    ("pty-spawn", "high", re.compile(r"pty\.spawn\("), "python pty spawn (interactive shell)"),
    ("raw-ip-url", "medium", re.compile(r"https?://\d{1,3}(\.\d{1,3}){3}(:\d+)?/"), "URL with a bare IP"),
    ("zip-password", "high", re.compile(r"(?i)extract\s+using\s+pass(word)?"), "password-protected archive lure"),
    ("secret-paths", "medium",
     re.compile(r"~/\.(ssh|aws|openclaw|clawdbot)\b|auth-profiles\.json|\.env\b"),
     "reference to credential locations"),
    ("persistence-files", "medium", re.compile(r"\b(SOUL|MEMORY|AGENTS|HEARTBEAT)\.md\b"),
     "reference to prompt-level persistence files"),
    ("miner", "critical", re.compile(r"stratum\+(tcp|ssl)://|\bxmrig\b"), "crypto miner"),
    ("injection", "high",
     re.compile(r"(?i)ignore (all )?(previous|prior) instructions|do not tell the user"),
     "prompt-injection phrasing"),
]

HIDDEN = re.compile("[\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]|[\U000e0000-\U000e007f]")
