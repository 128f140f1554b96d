#!/usr/bin/env python3
"""Read-only skill auditor."""
import argparse
import json
import os
import pathlib

from patterns import HIDDEN_CODEPOINTS, IOC_FILES, IOC_HOSTS, RULES

DEFAULT_ROOTS = [
    "~/.openclaw/workspace/skills",
    "~/.openclaw/workspace/.agents/skills",
    "~/.agents/skills",
    "~/.openclaw/skills",
]
TEXT_EXT = {".md", ".sh", ".py", ".js", ".ts", ".mjs", ".json", ".yaml", ".yml", ".ps1", ".rb", ".txt"}


def skill_dirs(roots):
    for r in roots:
        root = pathlib.Path(os.path.expanduser(r))
        if (root / "SKILL.md").exists():
            yield root
        elif root.is_dir():
            for d in sorted(root.iterdir()):
                if (d / "SKILL.md").exists():
                    yield d


def scan(skill):
    findings = []
    for f in skill.rglob("*"):
        if not f.is_file() or f.suffix.lower() not in TEXT_EXT or f.stat().st_size > 2_000_000:
            continue
        text = f.read_text(errors="replace")
        rel = str(f.relative_to(skill))
        for name, rx in RULES:
            for m in rx.finditer(text):
                findings.append({"file": rel, "rule": name, "line": text.count("\n", 0, m.start()) + 1})
        for ioc in IOC_HOSTS + IOC_FILES:
            if ioc in text:
                findings.append({"file": rel, "rule": "ioc", "ioc": ioc})
        hidden = sorted({hex(ord(c)) for c in text if ord(c) in HIDDEN_CODEPOINTS})
        if hidden:
            findings.append({"file": rel, "rule": "hidden-unicode", "codepoints": hidden})
    return findings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    report = {str(d): scan(d) for d in skill_dirs(a.paths or DEFAULT_ROOTS)}
    if a.json:
        print(json.dumps(report, indent=2))
        return
    for skill, fs in report.items():
        print(f"{'⚠️ ' if fs else '✅'} {skill}: {len(fs)} finding(s)")
        for x in fs:
            print(f"    {x['rule']:22} {x['file']}:{x.get('line', '-')} {x.get('ioc', '')}")


if __name__ == "__main__":
    main()
