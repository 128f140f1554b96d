#!/usr/bin/env python3
import json
import os
import sys
import urllib.parse
import urllib.request

token = os.environ["TELEGRAM_BOT_TOKEN"]
chat = os.environ["TELEGRAM_CHAT_ID"]
text = " ".join(sys.argv[1:]) or "done"

data = urllib.parse.urlencode({"chat_id": chat, "text": text[:4000]}).encode()
with urllib.request.urlopen(f"https://api.telegram.org/bot{token}/sendMessage", data=data, timeout=15) as r:
    ok = json.load(r).get("ok")
print("sent" if ok else "telegram refused the message")
