#!/usr/bin/env python3
"""Blind behaviour benchmark for `clawguard skills scan`.

Usage:
    python3 bench/skills-blind-behaviour/run.py [PATH_TO_CLAWGUARD] [--json] [--misses]

Runs ONE invocation:
    clawguard skills scan <every sample dir> --json --fail-on never
and compares each sample's verdict (allow | warn | block) with labels.json.

Figures, per family and overall:
  malicious: blocked (recall at block), warned, allowed, missing
  benign:    blocked (false-block rate), warned, allowed, missing
  overall:   benign share of warns = benign warns / all warns
A sample that does not appear in the scanner output counts as a failure ("missing"):
it is neither blocked nor allowed, it is never "as expected", and it is listed.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
SKILLS = HERE / "skills"
LABELS = HERE / "labels.json"
RANK = {"allow": 0, "warn": 1, "block": 2}


def resolve_binary(arg):
    p = pathlib.Path(arg)
    if p.exists():
        return str(p.resolve())
    alt = REPO / arg
    if not p.is_absolute() and alt.exists():
        return str(alt)
    sys.exit(f"clawguard binary not found: {arg}")


def run_scanner(binary, dirs):
    cmd = [binary, "skills", "scan", *[str(d) for d in dirs], "--json", "--fail-on", "never"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    try:
        doc = json.loads(proc.stdout)
    except ValueError:
        sys.stderr.write(proc.stderr[-4000:])
        sys.exit(f"scanner output is not JSON (exit {proc.returncode}); first bytes: {proc.stdout[:300]!r}")
    if proc.returncode not in (0,):
        sys.stderr.write(f"note: scanner exited {proc.returncode} despite --fail-on never\n")
    return doc


def sample_of(path, names):
    """Map a reported path (skill dir or a file in it) to a sample directory name."""
    try:
        parts = pathlib.Path(path).resolve().parts
    except (OSError, RuntimeError):
        parts = pathlib.Path(path).parts
    for part in reversed(parts):
        if part in names:
            return part
    return None


def pct(a, b):
    return f"{100.0 * a / b:5.1f}%" if b else "   n/a"


def tally(rows):
    t = {"n": len(rows), "block": 0, "warn": 0, "allow": 0, "missing": 0, "ok": 0}
    for r in rows:
        t[r["verdict"] if r["verdict"] in RANK else "missing"] += 1
        t["ok"] += r["ok"]
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("clawguard", nargs="?", default="target/release/clawguard")
    ap.add_argument("--json", action="store_true", help="print one JSON document with the figures")
    ap.add_argument("--misses", action="store_true", help="list samples whose verdict is not in expect")
    ap.add_argument("--set", type=pathlib.Path, default=HERE,
                    help="a blind set directory holding skills/ and labels.json (default: this one)")
    a = ap.parse_args()

    global SKILLS, LABELS
    SKILLS, LABELS = a.set / "skills", a.set / "labels.json"
    labels = json.loads(LABELS.read_text())["samples"]
    names = set(labels)
    on_disk = sorted(p.name for p in SKILLS.iterdir() if p.is_dir())
    unlabeled = sorted(set(on_disk) - names)
    if unlabeled:
        sys.stderr.write(f"warning: sample dirs without labels (ignored): {unlabeled}\n")
    dirs = [SKILLS / n for n in sorted(names) if (SKILLS / n).is_dir()]
    absent = sorted(n for n in names if not (SKILLS / n).is_dir())

    doc = run_scanner(resolve_binary(a.clawguard), dirs)
    got = {}
    stray = []
    for s in doc.get("skills", []):
        name = sample_of(s.get("path", ""), names)
        if name is None:
            stray.append(s.get("path"))
            continue
        v = s.get("verdict")
        prev = got.get(name)
        if prev is None or RANK.get(v, -1) > RANK.get(prev["verdict"], -1):
            got[name] = {"verdict": v, "rules": sorted({f.get("rule", "?") for f in s.get("findings", [])})}

    rows = []
    for name in sorted(names):
        lab = labels[name]
        g = got.get(name)
        verdict = g["verdict"] if g and g["verdict"] in RANK else "missing"
        rows.append({
            "sample": name, "label": lab["label"], "family": lab["family"], "risky": bool(lab.get("risky")),
            "expect": lab["expect"], "verdict": verdict, "ok": verdict in lab["expect"],
            "rules": g["rules"] if g else [],
        })

    mal = [r for r in rows if r["label"] == "malicious"]
    ben = [r for r in rows if r["label"] == "benign"]
    tm, tb = tally(mal), tally(ben)
    all_warns = tm["warn"] + tb["warn"]
    fams = {}
    for r in rows:
        fams.setdefault((r["label"], r["family"]), []).append(r)

    missing = [r["sample"] for r in rows if r["verdict"] == "missing"]
    misses = [r for r in rows if not r["ok"]]
    overall = {
        "malicious": {**tm, "recall_at_block": tm["block"] / tm["n"] if tm["n"] else None,
                      "flagged_warn_or_block": (tm["block"] + tm["warn"]) / tm["n"] if tm["n"] else None},
        "benign": {**tb, "false_block_rate": tb["block"] / tb["n"] if tb["n"] else None,
                   "warn_rate": tb["warn"] / tb["n"] if tb["n"] else None},
        "benign_plain": tally([r for r in ben if not r["risky"]]),
        "benign_risky": tally([r for r in ben if r["risky"]]),
        "benign_share_of_warns": tb["warn"] / all_warns if all_warns else None,
        "as_expected": sum(r["ok"] for r in rows), "total": len(rows),
        "missing_from_output": missing, "absent_sample_dirs": absent, "unmatched_output_paths": stray,
    }
    families = [{"label": lab, "family": fam, **tally(rs)} for (lab, fam), rs in sorted(fams.items())]

    if a.json:
        out = {"overall": overall, "families": families}
        if a.misses:
            out["misses"] = [{k: r[k] for k in ("sample", "label", "family", "expect", "verdict", "rules")} for r in misses]
        print(json.dumps(out, indent=2))
        return

    print("== malicious, per family (blocked = recall at block)")
    print(f"{'family':30} {'n':>3} {'block':>6} {'warn':>5} {'allow':>5} {'miss':>4}  {'recall@block':>12}")
    for f in families:
        if f["label"] == "malicious":
            print(f"{f['family']:30} {f['n']:>3} {f['block']:>6} {f['warn']:>5} {f['allow']:>5} {f['missing']:>4}  {pct(f['block'], f['n']):>12}")
    print("\n== benign, per family (blocked = false blocks)")
    print(f"{'family':30} {'n':>3} {'block':>6} {'warn':>5} {'allow':>5} {'miss':>4}  {'false-block':>12}")
    for f in families:
        if f["label"] == "benign":
            print(f"{f['family']:30} {f['n']:>3} {f['block']:>6} {f['warn']:>5} {f['allow']:>5} {f['missing']:>4}  {pct(f['block'], f['n']):>12}")
    bp, br = overall["benign_plain"], overall["benign_risky"]
    print("\n== overall")
    print(f"malicious: {tm['n']}  blocked {tm['block']} ({pct(tm['block'], tm['n']).strip()} recall at block)"
          f"  warned {tm['warn']} ({pct(tm['warn'], tm['n']).strip()})  allowed {tm['allow']}  missing {tm['missing']}")
    print(f"benign:    {tb['n']}  blocked {tb['block']} ({pct(tb['block'], tb['n']).strip()} false-block rate)"
          f"  warned {tb['warn']} ({pct(tb['warn'], tb['n']).strip()})  allowed {tb['allow']}  missing {tb['missing']}")
    print(f"           plain benign {bp['n']}: blocked {bp['block']} warned {bp['warn']} allowed {bp['allow']};"
          f"  risky-but-ordinary {br['n']}: blocked {br['block']} warned {br['warn']} allowed {br['allow']}")
    share = overall["benign_share_of_warns"]
    print(f"benign share of warns: {tb['warn']}/{all_warns}" + (f" = {100 * share:.1f}%" if share is not None else ""))
    print(f"verdict as expected: {overall['as_expected']}/{overall['total']}")
    if missing:
        print(f"FAILURE: {len(missing)} sample(s) missing from scanner output (counted as failures): {', '.join(missing)}")
    if absent:
        print(f"FAILURE: labelled sample dirs absent on disk: {', '.join(absent)}")
    if stray:
        print(f"note: {len(stray)} output path(s) matched no sample: {stray[:5]}")
    if a.misses:
        print("\n== misses (verdict not in expect)")
        for r in misses:
            rules = ",".join(r["rules"][:6]) + ("…" if len(r["rules"]) > 6 else "")
            print(f"{r['sample']:40} {r['label']:9} {r['family']:28} expect={'/'.join(r['expect']):10} got={r['verdict']:7} {rules}")


if __name__ == "__main__":
    main()
