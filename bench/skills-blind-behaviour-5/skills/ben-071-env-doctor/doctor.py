#!/usr/bin/env python3
import os

KNOWN = ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY",
         "GROQ_API_KEY", "MISTRAL_API_KEY", "ELEVENLABS_API_KEY"]


def mask(v: str) -> str:
    return f"{v[:4]}…{v[-4:]}" if len(v) > 12 else "****"


print("| Variable | Set | Preview |\n|---|---|---|")
for name in KNOWN:
    v = os.environ.get(name)
    print(f"| {name} | {'yes' if v else 'no'} | {('`' + mask(v) + '`') if v else ''} |")
