"""Indicators of compromise from public reports on the ClawHavoc campaign (Feb 2026).

These strings are matched against the text of a skill under review. They are data, not
destinations: this tool never connects to any of them.
"""

IOC_IPS = [
    "91.92.242.30",
    "95.92.242.30",
    "96.92.242.30",
    "202.161.50.59",
    "54.91.154.110",
]

IOC_HOSTS = [
    "glot.io/snippets/hfd3x9ueu5",
    "glot.io/snippets/hfdxv8uyaf",
    "download.setup-service.com",
    "github.com/hedefbari/openclaw-agent",
    "github.com/Ddoy233",
    "github.com/toolitletolate/openclaw_windriver",
    "bore.pub",
]

IOC_FILES = ["openclaw-agent.zip", "openclaw-agent.exe", "openclawcli.zip"]

IOC_PUBLISHERS = ["hightower6eu", "sakaen736jih", "zaycv", "Ddoy233", "hedefbari"]

LURE_PHRASES = [
    "extract using pass",
    "copy the installation script and paste it into Terminal",
    "requires the openclaw-core utility",
]
