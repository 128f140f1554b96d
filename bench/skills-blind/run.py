#!/usr/bin/env python3
"""Run the blind hostile set against a clawguard binary.

usage: python3 run.py BIN [--only SUBSTR] [--out FILE] [--timeout S] [--mem BYTES]

Each sample runs with a wall-clock timeout (default 20 s) and an address-space
limit (default 2 GiB, RLIMIT_AS), in its own session, cwd $BLIND_DIR (default /tmp/clawguard-blind, where gen.py writes the set).
scan:   BIN skills scan PATH --json        (env: CLAWGUARD_STATE_DIR=<tmp>)
policy: BIN skills policy  < request        (env: empty, as OpenClaw runs it)

Base expectation for every sample ("robust"): no signal/panic, no timeout,
an allowed exit code (scan: 0/1/4, policy: 0) and one valid JSON document of
the documented shape. Other expectations: not_allow, block, allow (controls),
finding_expected, max_seconds:N, max_rss_mb:N.

Verdict of a scan = worst verdict over the reported skills; a scan that
reports no skill is "error" when it exits 1 (fail-closed: the path was
refused) and "none" (counts as allow) otherwise.
"""
import json, os, resource, signal, subprocess, sys, tempfile, threading, time
from pathlib import Path

BASE = Path(os.environ.get("BLIND_DIR", "/tmp/clawguard-blind"))
ORDER = {"none": 0, "allow": 1, "warn": 2, "block": 3, "error": 3}


def parse_args(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        sys.exit(__doc__)
    a = {"bin": os.path.abspath(argv[1]), "only": None, "out": None, "timeout": 20.0, "mem": 2 << 30}
    i = 2
    while i < len(argv):
        k = argv[i]
        v = argv[i + 1]
        if k == "--only":
            a["only"] = v
        elif k == "--out":
            a["out"] = v
        elif k == "--timeout":
            a["timeout"] = float(v)
        elif k == "--mem":
            a["mem"] = int(v)
        else:
            sys.exit("unknown option " + k)
        i += 2
    return a


def run_one(cmd, stdin_bytes, env, timeout, mem):
    def pre():
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env, cwd=str(BASE), preexec_fn=pre, start_new_session=True)
    out, err = [], []

    def rd(f, acc, cap=64 << 20):
        n = 0
        while True:
            b = f.read(65536)
            if not b:
                break
            if n < cap:
                acc.append(b)
            n += len(b)

    def wr():
        try:
            if stdin_bytes:
                p.stdin.write(stdin_bytes)
        except (BrokenPipeError, OSError):
            pass
        finally:
            try:
                p.stdin.close()
            except OSError:
                pass

    ths = [threading.Thread(target=rd, args=(p.stdout, out), daemon=True),
           threading.Thread(target=rd, args=(p.stderr, err), daemon=True),
           threading.Thread(target=wr, daemon=True)]
    for t in ths:
        t.start()
    timed_out = False
    status = ru = None
    while True:
        pid, st, r = os.wait4(p.pid, os.WNOHANG)
        if pid == p.pid:
            status, ru = st, r
            break
        if time.monotonic() - t0 > timeout:
            timed_out = True
            try:
                os.killpg(p.pid, signal.SIGKILL)  # the session we started for this child
            except ProcessLookupError:
                pass
            _, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.01)
    elapsed = time.monotonic() - t0
    for t in ths:
        t.join(2)
    p.returncode = os.waitstatus_to_exitcode(status)
    return dict(rc=p.returncode, secs=round(elapsed, 2), timeout=timed_out, rss_mb=round(ru.ru_maxrss / 1024, 1),
                stdout=b"".join(out), stderr=b"".join(err))


def evaluate(s, r):
    fails, notes = [], []
    mode = s["mode"]
    verdict, nfind, doc = None, 0, None
    if r["timeout"]:
        fails.append("timeout")
    elif r["rc"] < 0:
        fails.append("killed by signal %d" % -r["rc"])
    elif r["rc"] == 101:
        fails.append("panic (exit 101)")
    try:
        doc = json.loads(r["stdout"].decode("utf-8"))
    except Exception:
        doc = None
        if not r["timeout"]:
            fails.append("stdout is not one valid JSON document")
    if mode == "scan":
        if not r["timeout"] and r["rc"] not in (0, 1, 4) and r["rc"] >= 0 and r["rc"] != 101:
            fails.append("unexpected exit %d" % r["rc"])
        if isinstance(doc, dict) and isinstance(doc.get("skills"), list):
            vs = []
            for sk in doc["skills"]:
                v = sk.get("verdict") if isinstance(sk, dict) else None
                if v not in ("allow", "warn", "block"):
                    fails.append("bad verdict %r" % v)
                else:
                    vs.append(v)
                nfind += len([f for f in (sk.get("findings") or []) if not f.get("suppressed")]) if isinstance(sk, dict) else 0
            if vs:
                verdict = max(vs, key=lambda v: ORDER[v])
            else:
                verdict = "error" if r["rc"] == 1 else "none"
        elif doc is not None:
            fails.append("JSON lacks skills[]")
        elif r["rc"] == 1 and not r["timeout"]:
            verdict = "error"
    else:
        if not r["timeout"] and r["rc"] != 0 and r["rc"] >= 0 and r["rc"] != 101:
            fails.append("policy exit %d (OpenClaw fails closed, but the contract is exit 0 + JSON)" % r["rc"])
        if isinstance(doc, dict):
            verdict = doc.get("decision")
            if doc.get("protocolVersion") != 1:
                fails.append("protocolVersion %r" % doc.get("protocolVersion"))
            if verdict not in ("allow", "warn", "block"):
                fails.append("bad decision %r" % verdict)
                verdict = None
            elif verdict != "allow" and not (isinstance(doc.get("reason"), str) and doc["reason"].strip()):
                fails.append("%s without a reason" % verdict)
            nfind = len(doc.get("findings") or [])
        elif doc is not None:
            fails.append("answer is not a JSON object")
        if verdict is None and (r["rc"] not in (0,) or r["timeout"]):
            verdict = "error"  # OpenClaw would fail closed
    for e in s["expect"]:
        if e == "robust":
            continue
        if e == "not_allow":
            if verdict in ("allow", "none"):
                fails.append("verdict %s (expected not allow)" % verdict)
            elif verdict is None:
                fails.append("no verdict")
        elif e == "block":
            if verdict != "block":
                fails.append("verdict %s (expected block)" % verdict)
        elif e == "allow":
            if verdict != "allow":
                fails.append("verdict %s (control expected allow)" % verdict)
        elif e == "finding_expected":
            if nfind == 0:
                if verdict == "error":
                    notes.append("no finding, but the path was refused (exit 1)")
                else:
                    fails.append("no finding")
        elif e.startswith("max_seconds:"):
            lim = float(e.split(":")[1])
            if r["secs"] > lim and not r["timeout"]:
                fails.append("took %.1fs > %gs" % (r["secs"], lim))
        elif e.startswith("max_rss_mb:"):
            lim = float(e.split(":")[1])
            if r["rss_mb"] > lim:
                fails.append("rss %.0f MB > %g MB" % (r["rss_mb"], lim))
        else:
            fails.append("unknown expectation " + e)
    return verdict, nfind, fails, notes


def main():
    a = parse_args(sys.argv)
    labels = json.loads((BASE / "labels.json").read_text())["samples"]
    if a["only"]:
        labels = [s for s in labels if a["only"] in s["id"]]
    state = tempfile.mkdtemp(prefix="cg-blind-state-")
    results = []
    print("%-44s %-8s %-6s %4s %6s %7s %-6s %4s  %s" % ("sample", "class", "mode", "rc", "secs", "rss_MB", "verdict", "nf", "result"))
    for s in labels:
        if s["mode"] == "scan":
            cmd = [a["bin"], "skills", "scan", s["path"], "--json"]
            env = {"CLAWGUARD_STATE_DIR": state}
            stdin = b""
        else:
            cmd = [a["bin"], "skills", "policy"]
            env = {}
            if "stdin_file" in s:
                stdin = Path(s["stdin_file"]).read_bytes()
            else:
                stdin = json.dumps(s["request"]).encode()
        r = run_one(cmd, stdin, env, a["timeout"], a["mem"])
        verdict, nfind, fails, notes = evaluate(s, r)
        res = {k: s[k] for k in ("id", "class", "mode", "expect", "note")}
        res.update(rc=r["rc"], secs=r["secs"], rss_mb=r["rss_mb"], timeout=r["timeout"], verdict=verdict, findings=nfind,
                   held=not fails, failures=fails, notes=notes,
                   stderr_tail=r["stderr"][-600:].decode("utf-8", "replace"),
                   reason=None)
        try:
            d = json.loads(r["stdout"])
            if isinstance(d, dict) and "reason" in d:
                res["reason"] = str(d["reason"])[:300]
            elif isinstance(d, dict) and d.get("skills"):
                fs = [f for sk in d["skills"] for f in (sk.get("findings") or [])]
                res["top_findings"] = sorted({"%s:%s" % (f.get("rule"), f.get("severity")) for f in fs})[:12]
        except Exception:
            pass
        results.append(res)
        print("%-44s %-8s %-6s %4s %6.2f %7.0f %-7s %4d  %s" % (
            s["id"][:44], s["class"], s["mode"], "TO" if r["timeout"] else r["rc"], r["secs"], r["rss_mb"],
            verdict, nfind, "held" if not fails else "FAIL: " + "; ".join(fails)), flush=True)
    print()
    classes = []
    for r in results:
        if r["class"] not in classes:
            classes.append(r["class"])
    tot = {}
    for c in classes:
        rs = [r for r in results if r["class"] == c]
        h = sum(r["held"] for r in rs)
        tot[c] = {"held": h, "failed": len(rs) - h, "total": len(rs)}
        print("%-10s held %3d  failed %3d  of %3d" % (c, h, len(rs) - h, len(rs)))
    h = sum(r["held"] for r in results)
    print("%-10s held %3d  failed %3d  of %3d" % ("ALL", h, len(results) - h, len(results)))
    out = a["out"] or str(BASE / ("result-%s.json" % time.strftime("%Y%m%dT%H%M%S")))
    Path(out).write_text(json.dumps({"binary": a["bin"], "totals": tot, "results": results}, indent=1) + "\n")
    print("results written to", out)


if __name__ == "__main__":
    main()
