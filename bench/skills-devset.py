#!/usr/bin/env python3
"""Development set of real OpenClaw / ClawHub skills for the skill auditor (issue 11).

    bench/skills-devset.py [MIRROR_GIT_DIR ...] [--work DIR] [--scan BIN] [--json]

1. Extract.  Every collection listed in bench/skills-dev-labels.json
   ("collections": repo, commit, root, layout) is looked up in the given bare
   git mirrors (default: the mirrors under /work/.mirror, see DEFAULT_MIRRORS);
   the first mirror holding the commit is used.  The skill directories of that
   commit are read with `git ls-tree` and their files written with
   `git cat-file --batch` into the work dir (default /tmp/clawguard-devset),
   never into the repository: regular files only (no symlinks, no executable bits), paths checked to stay
   inside the skill directory.  Nothing from the set is ever executed; it is
   only read by the auditor.

   A skill is keyed `<collection>/<owner>/<slug>` (layout "owner-slug":
   ROOT/<owner>/<slug>/ holding a SKILL.md anywhere below) or
   `<collection>/<path>` (layout "topmost": the topmost directories under ROOT
   holding a SKILL.md).  Identical skills are deduped by a hash of their
   files (relative path + git blob id of every file, ClawHub's per-listing
   `_meta.json` left out of the hash): the first one (collections in order,
   keys sorted) is kept, the others are recorded in WORK/manifest.json under
   "duplicates".

2. Scan (--scan BIN).  `BIN skills scan DIR... --json --fail-on never` over
   every kept skill, a few hundred directories per invocation, with an empty
   --config (built-in defaults; --config FILE to change) and a scratch
   --state-dir inside the work dir.  Results go to WORK/scan.json.

3. Report.  Total, allow/warn/block, and against the labels:
   malicious at block (per family), non-malicious at block, benign share of
   the labelled warns, and the blocks and warns that have no label yet.
   --json prints one JSON document instead of text.  Without --scan the last
   WORK/scan.json is reported (if any).

Needs only git and Python 3 (standard library).
"""
import argparse
import collections
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_LABELS = os.path.join(HERE, "skills-dev-labels.json")
DEFAULT_WORK = "/tmp/clawguard-devset"
DEFAULT_MIRRORS = [
    # openclaw/skills; its own snapshot stops at 3a5f649f, so the fork below,
    # which carries upstream history to 2026-02-14, is searched too.
    "/work/.mirror/openclaw+skills/repo",
    "/work/.mirror/AgentWorkers+skills/repo",
]
SKILL_FILES = ("skill.md",)  # compared lower-case
HASH_SKIP = ("_meta.json",)  # ClawHub listing metadata (owner, slug, publish time)
BATCH = 300
FAMILIES = [
    "clawhavoc-template", "fake-prerequisite", "dropper", "agent-exfil",
    "credential-theft", "reverse-shell", "obfuscated-payload", "env-harvest",
    "persistence", "prompt-injection", "miner", "typosquat", "supply-chain",
    "other",
]


def git(gitdir, *args, **kw):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True,
                          stdout=subprocess.PIPE, **kw).stdout


def has_commit(gitdir, commit):
    if not os.path.isdir(gitdir):
        return False
    r = subprocess.run(["git", "--git-dir", gitdir, "cat-file", "-e", commit + "^{commit}"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return r.returncode == 0


def ls_tree(gitdir, commit, root):
    """[(path, mode, blob)] of the regular files under root."""
    out = git(gitdir, "ls-tree", "-r", "-z", "--full-tree", commit, "--", root)
    files, skipped = [], 0
    for rec in out.split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, kind, blob = meta.decode().split()
        path = path.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode not in ("100644", "100755"):
            skipped += 1  # symlinks, submodules
            continue
        files.append((path, mode, blob))
    return files, skipped


def missing_blobs(gitdir, blobs):
    """The blobs the mirror lacks (snapshots leave out files of 4 MiB and more)."""
    p = subprocess.run(["git", "--git-dir", gitdir, "cat-file", "--batch-check"],
                       input="".join(b + "\n" for b in sorted(set(blobs))).encode(),
                       stdout=subprocess.PIPE, check=True)
    return {ln.split()[0].decode() for ln in p.stdout.splitlines() if ln.endswith(b" missing")}


def skills_of(files, root, layout, missing=frozenset()):
    """{skill_rel: [(path_in_skill, blob)]} for one collection tree.  A SKILL.md
    whose blob the mirror lacks does not make a skill (it could not be read)."""
    root = root.strip("/")
    pre = root + "/" if root else ""
    rel = [(p[len(pre):], b) for p, _, b in files if p.startswith(pre)]
    homes = set()
    if layout == "owner-slug":
        for p, b in rel:
            parts = p.split("/")
            if len(parts) >= 3 and parts[-1].lower() in SKILL_FILES and b not in missing:
                homes.add("/".join(parts[:2]))
    elif layout == "topmost":
        dirs = sorted({p.rsplit("/", 1)[0] if "/" in p else "" for p, b in rel
                       if p.rsplit("/", 1)[-1].lower() in SKILL_FILES and b not in missing},
                      key=lambda d: (d.count("/"), d))
        for d in dirs:
            if not any(d == h or d.startswith(h + "/") for h in homes if h) and d:
                homes.add(d)
    else:
        raise SystemExit(f"unknown layout {layout!r}")
    out = collections.defaultdict(list)
    for p, b in rel:
        parts = p.split("/")
        for n in range(1, len(parts)):
            h = "/".join(parts[:n])
            if h in homes:
                out[h].append(("/".join(parts[n:]), b))
                break
    return out


def skill_hash(files):
    h = hashlib.sha256()
    for p, b in sorted(files):
        if p in HASH_SKIP:
            continue
        h.update(p.encode("utf-8", "surrogateescape") + b"\0" + b.encode() + b"\n")
    return h.hexdigest()


def safe_rel(p):
    parts = p.split("/")
    return p and not p.startswith("/") and ".." not in parts and "" not in parts


def write_blobs(gitdir, want):
    """Write every blob of want {blob: [dest paths]}; returns (written, missing)."""
    import threading
    blobs = sorted(want)
    proc = subprocess.Popen(["git", "--git-dir", gitdir, "cat-file", "--batch"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def feed():
        for b in blobs:
            proc.stdin.write(b.encode() + b"\n")
        proc.stdin.close()
    t = threading.Thread(target=feed)
    t.start()
    written = missing = 0
    for b in blobs:
        head = proc.stdout.readline().split()
        if len(head) < 2 or head[1] == b"missing":
            missing += len(want[b])
            continue
        size = int(head[2])
        data = proc.stdout.read(size)
        proc.stdout.read(1)
        for dest in want[b]:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as out:
                out.write(data)
            os.chmod(dest, 0o644)
            written += 1
    t.join()
    proc.wait()
    return written, missing


def extract(args, colls):
    work = args.work
    manifest_path = os.path.join(work, "manifest.json")
    spec = [{k: c[k] for k in ("name", "repo", "commit", "root", "layout")} for c in colls]
    if os.path.exists(manifest_path) and not args.force:
        m = json.load(open(manifest_path))
        if m.get("spec") == spec:
            return m
    mirrors = args.mirrors or DEFAULT_MIRRORS
    if os.path.isdir(work):
        if os.listdir(work) and not os.path.exists(manifest_path):
            raise SystemExit(f"{work} is not empty and holds no manifest.json: not clearing it")
        shutil.rmtree(work)
    os.makedirs(work)
    seen = {}  # hash -> kept key
    skills, dups, used = {}, {}, []
    for c in colls:
        gitdir = next((m for m in mirrors if has_commit(m, c["commit"])), None)
        if gitdir is None:
            raise SystemExit(f"{c['repo']}@{c['commit'][:12]}: no mirror among {mirrors} has this commit "
                             f"(fetch github:{c['repo']} or its fork and pass the git dir)")
        files, skipped = ls_tree(gitdir, c["commit"], c["root"])
        missing = missing_blobs(gitdir, [b for _, _, b in files])
        by_skill = skills_of(files, c["root"], c["layout"], missing)
        unreadable = sorted(f"{c['name']}/{d}" for d in
                            set(skills_of(files, c["root"], c["layout"])) - set(by_skill))
        kept_here, dup_here = [], 0
        for rel in sorted(by_skill):
            if not safe_rel(rel):
                continue
            key = f"{c['name']}/{rel}"
            h = skill_hash(by_skill[rel])
            if h in seen:
                dups[key] = seen[h]
                dup_here += 1
                continue
            seen[h] = key
            skills[key] = {"dir": os.path.join(work, "skills", c["name"], rel), "hash": h,
                           "files": len(by_skill[rel])}
            kept_here.append(rel)
        # Write only the kept skills' files, read blob by blob with
        # `git cat-file --batch` (a mirror may lack some large blobs: those
        # files are left out and counted).
        want = collections.defaultdict(list)
        for rel in kept_here:
            for sub, blob in by_skill[rel]:
                if safe_rel(sub):
                    want[blob].append(os.path.join(work, "skills", c["name"], rel, sub))
        written, left_out = write_blobs(gitdir, want)
        used.append(dict(c, gitdir=gitdir, skills_found=len(by_skill), kept=len(kept_here),
                         duplicates=dup_here, files_written=written, files_left_out=left_out,
                         unreadable_skill_md=unreadable,
                         skipped_links=skipped))
    m = {"spec": spec, "collections": used, "skills": skills, "duplicates": dups,
         "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with open(manifest_path, "w") as f:
        json.dump(m, f, indent=1, sort_keys=True)
    return m


def scan(args, m):
    work = args.work
    state = os.path.join(work, "state")
    os.makedirs(state, exist_ok=True)
    config = args.config
    if config is None:  # built-in defaults, whatever /etc/clawguard holds
        config = os.path.join(work, "empty-config.toml")
        open(config, "w").close()
    by_dir = {os.path.normpath(v["dir"]): k for k, v in m["skills"].items()}
    keys = sorted(m["skills"])
    results, errors = {}, []
    t0 = time.time()
    for i in range(0, len(keys), args.batch):
        dirs = [m["skills"][k]["dir"] for k in keys[i:i + args.batch]]
        p = subprocess.run([args.scan, "skills", "scan", *dirs, "--json", "--fail-on", "never",
                            "--config", config, "--state-dir", state],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode not in (0, 1):
            raise SystemExit(f"{args.scan} exited {p.returncode}: {p.stderr.decode()[-2000:]}")
        if p.stderr.strip():
            errors.append(p.stderr.decode(errors="replace")[-2000:])
        for s in json.loads(p.stdout)["skills"]:
            key = by_dir.get(os.path.normpath(s["path"]))
            if key is None:
                errors.append(f"unmapped path {s['path']}")
                continue
            results[key] = {"verdict": s["verdict"], "name": s.get("name"),
                            "findings": s.get("findings", [])}
    secs = time.time() - t0
    missing = [k for k in keys if k not in results]
    doc = {"bin": args.scan, "bin_sha256": sha256_file(args.scan), "seconds": round(secs, 2),
           "config": args.config or "built-in defaults",
           "scanned": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "missing": missing, "errors": errors, "results": results}
    with open(os.path.join(work, "scan.json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    return doc


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def pct(a, b):
    return round(100.0 * a / b, 2) if b else None


def report(m, sc, labels):
    res = sc["results"]
    lab = {k: v for k, v in labels.get("labels", {}).items()}
    verdicts = collections.Counter(r["verdict"] for r in res.values())

    def v(k):
        return res[k]["verdict"]

    def tagged(keys):
        c = collections.Counter(t for k in keys for t in lab.get(k, {}).get("tags", []))
        return dict(sorted(c.items()))

    mal = {k: x for k, x in lab.items() if x.get("label") == "malicious" and k in res}
    fam = {}
    for f in sorted({x.get("family", "other") for x in mal.values()}):
        ks = sorted(k for k, x in mal.items() if x.get("family", "other") == f)
        fam[f] = {"labelled": len(ks), "block": sum(v(k) == "block" for k in ks),
                  "warn": sum(v(k) == "warn" for k in ks), "allow": sum(v(k) == "allow" for k in ks),
                  "block_pct": pct(sum(v(k) == "block" for k in ks), len(ks)),
                  "not_blocked": [k for k in ks if v(k) != "block"]}
    mal_block = sum(f["block"] for f in fam.values())
    blocks = sorted(k for k in res if v(k) == "block")
    warns = sorted(k for k in res if v(k) == "warn")
    nonmal_total = len(res) - len(mal)  # unlabelled skills count as non-malicious
    nonmal_block = [k for k in blocks if lab.get(k, {}).get("label") in ("risky", "benign")]
    benign_block = [k for k in nonmal_block if lab[k]["label"] == "benign"]
    warn_lab = [k for k in warns if k in lab]
    by_warn = collections.Counter(lab[k]["label"] for k in warn_lab)
    label_counts = collections.Counter(x.get("label") for k, x in lab.items() if k in res)
    label_verdict = collections.Counter(f"{x.get('label')}/{v(k)}" for k, x in lab.items() if k in res)
    return {
        "collections": [{k: c[k] for k in ("name", "repo", "commit", "skills_found", "kept", "duplicates")}
                        for c in m["collections"]],
        "total": len(res), "duplicates": len(m["duplicates"]),
        "verdicts": {x: verdicts.get(x, 0) for x in ("allow", "warn", "block")},
        "bin_sha256": sc.get("bin_sha256"), "scan_seconds": sc.get("seconds"),
        "labels": dict(sorted(label_counts.items())),
        "labels_by_verdict": dict(sorted(label_verdict.items())),
        "labels_not_in_set": sorted(k for k in lab if k not in res),
        "unknown_families": sorted({x.get("family") for x in mal.values()} - set(FAMILIES)),
        "malicious": {"labelled": len(mal), "block": mal_block, "block_pct": pct(mal_block, len(mal)),
                      "per_family": fam},
        "non_malicious_at_block": {
            "count": len(nonmal_block), "benign": len(benign_block),
            "risky": len(nonmal_block) - len(benign_block),
            "pct_of_non_malicious": pct(len(nonmal_block), nonmal_total),
            "pct_of_blocks": pct(len(nonmal_block), len(blocks)),
            "tags": tagged(nonmal_block), "skills": nonmal_block},
        "warns": {"count": len(warns), "labelled": len(warn_lab),
                  "benign": by_warn.get("benign", 0), "risky": by_warn.get("risky", 0),
                  "malicious": by_warn.get("malicious", 0),
                  "benign_share_pct": pct(by_warn.get("benign", 0), len(warn_lab))},
        "unlabelled": {"block": [k for k in blocks if k not in lab],
                       "warn": [k for k in warns if k not in lab]},
    }


def print_text(r):
    for c in r["collections"]:
        print(f"collection {c['name']}: {c['repo']}@{c['commit'][:12]}: {c['skills_found']} skills, "
              f"{c['kept']} kept, {c['duplicates']} duplicates")
    v = r["verdicts"]
    print(f"total {r['total']} skills (after dedupe; {r['duplicates']} duplicates left out)")
    print(f"verdicts: allow {v['allow']}, warn {v['warn']}, block {v['block']}")
    print(f"labels: {r['labels']}")
    print(f"labels by verdict: {r['labels_by_verdict']}")
    mm = r["malicious"]
    print(f"malicious at block: {mm['block']} / {mm['labelled']} ({mm['block_pct']}%)")
    for f, x in mm["per_family"].items():
        print(f"  {f}: {x['block']} / {x['labelled']} at block ({x['block_pct']}%; "
              f"warn {x['warn']}, allow {x['allow']})")
        for k in x["not_blocked"]:
            print(f"    not blocked: {k}")
    n = r["non_malicious_at_block"]
    print(f"non-malicious at block: {n['count']} (benign {n['benign']}, risky {n['risky']}) = "
          f"{n['pct_of_non_malicious']}% of non-malicious skills, {n['pct_of_blocks']}% of blocks; "
          f"tags {n['tags']}")
    w = r["warns"]
    print(f"warns: {w['count']}, labelled {w['labelled']}: benign {w['benign']}, risky {w['risky']}, "
          f"malicious {w['malicious']}; benign share {w['benign_share_pct']}%")
    u = r["unlabelled"]
    print(f"unlabelled: block {len(u['block'])}, warn {len(u['warn'])} (these need labels)")
    for k in u["block"]:
        print(f"  block {k}")
    if r["labels_not_in_set"]:
        print(f"labels whose key is not in the set: {len(r['labels_not_in_set'])}")
    if r["unknown_families"]:
        print(f"unknown malicious families in the labels: {r['unknown_families']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mirrors", nargs="*", help="bare git dirs to find the collections' commits in "
                    f"(default: {' '.join(DEFAULT_MIRRORS)})")
    ap.add_argument("--work", default=DEFAULT_WORK, help=f"work dir outside the repository (default {DEFAULT_WORK})")
    ap.add_argument("--labels", default=DEFAULT_LABELS)
    ap.add_argument("--scan", metavar="BIN", help="run BIN skills scan over the set")
    ap.add_argument("--batch", type=int, default=BATCH, help=f"skill dirs per invocation (default {BATCH})")
    ap.add_argument("--config", metavar="FILE", help="clawguard config for the scan (default: an empty "
                    "file, i.e. built-in defaults)")
    ap.add_argument("--force", action="store_true", help="extract again even if the work dir matches")
    ap.add_argument("--json", action="store_true", help="print one JSON document")
    ap.add_argument("--sample-warns", type=int, metavar="N",
                    help="print N warn keys drawn at random (seed --seed) and exit")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    args.work = os.path.abspath(args.work)
    repo = os.path.dirname(HERE)
    if args.work == repo or args.work.startswith(repo + os.sep):
        raise SystemExit("the work dir must be outside the repository")
    labels = json.load(open(args.labels))
    colls = labels["collections"]
    m = extract(args, colls)
    sc_path = os.path.join(args.work, "scan.json")
    if args.scan:
        sc = scan(args, m)
    elif os.path.exists(sc_path):
        sc = json.load(open(sc_path))
    else:
        sc = None
    if args.sample_warns:
        if sc is None:
            raise SystemExit("no scan yet: pass --scan BIN")
        warns = sorted(k for k, r in sc["results"].items() if r["verdict"] == "warn")
        for k in random.Random(args.seed).sample(warns, min(args.sample_warns, len(warns))):
            print(k)
        return
    if sc is None:
        n = len(m["skills"])
        print(json.dumps({"total": n, "duplicates": len(m["duplicates"])}) if args.json else
              f"extracted {n} skills ({len(m['duplicates'])} duplicates) into {args.work}; "
              "pass --scan BIN to audit them")
        return
    r = report(m, sc, labels)
    if sc.get("missing"):
        r["scan_missing"] = sc["missing"]
    if args.json:
        json.dump(r, sys.stdout, indent=1, sort_keys=True)
        print()
    else:
        print_text(r)
        if sc.get("missing"):
            print(f"scan: {len(sc['missing'])} skills got no result")


if __name__ == "__main__":
    main()
