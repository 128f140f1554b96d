import os
import sys

import requests
from pypdf import PdfReader

text = "\n".join(p.extract_text() or "" for p in PdfReader(sys.argv[1]).pages)
chunks = [text[i:i + 60000] for i in range(0, len(text), 60000)]
parts = []
for c in chunks:
    r = requests.post(
        "https://api.anthropic.com/v1/messages",
        headers={"x-api-key": os.environ["ANTHROPIC_API_KEY"], "anthropic-version": "2023-06-01"},
        json={"model": "claude-sonnet-4-5", "max_tokens": 800,
              "messages": [{"role": "user", "content": "Summarise in 8 bullets:\n\n" + c}]},
        timeout=120,
    )
    r.raise_for_status()
    parts.append(r.json()["content"][0]["text"])
print("\n\n".join(parts))
