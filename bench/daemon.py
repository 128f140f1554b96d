#!/usr/bin/env python3
"""Daemon benchmarks, clawguard side by side with fail2ban, in one run.

1. Ban latency: from a failure line being appended to the log until the
   address is in the kernel's nftables set. Each daemon runs in its own
   network namespace; `nft monitor` in that namespace reports the element the
   moment the kernel has it. Both use a jail with maxretry = 1.
2. Restore: 100,000 active bans in the state database; time from starting
   the daemon until they are all in the kernel. (fail2ban restores one `nft`
   call per ban; it is run with a smaller count and the rate is reported.)
3. Idle resident memory of each daemon running its default jails.

Must run as root (network namespaces). Every address comes from the
documentation ranges. Usage: bench/daemon.py [--latency N] [--restore N]
"""
import argparse
import json
import os
import select
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "clawguard")


def sh(*args, check=True, **kw):
    return subprocess.run(args, check=check, capture_output=True, text=True, **kw)


class Netns:
    def __init__(self, name):
        self.name = name
        sh("ip", "netns", "del", name, check=False)
        sh("ip", "netns", "add", name)
        sh("ip", "-n", name, "link", "set", "lo", "up")

    def popen(self, *args, **kw):
        return subprocess.Popen(["ip", "netns", "exec", self.name, *args], **kw)

    def run(self, *args, check=True):
        return sh("ip", "netns", "exec", self.name, *args, check=check)

    def close(self):
        sh("ip", "netns", "del", self.name, check=False)


def test_addresses(n):
    out = []
    for net in ("192.0.2.", "198.51.100.", "203.0.113."):
        for host in range(1, 255):
            out.append(net + str(host))
    i = 1
    while len(out) < n:
        out.append("2001:db8:%x:%x::1" % (i >> 16, i & 0xFFFF))
        i += 1
    return out[:n]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise SystemExit(f"timed out waiting for {what}")


def measure_latency(ns, log_path, addresses):
    """Append one failure per address; time until `nft monitor` shows it."""
    monitor = ns.popen("nft", "monitor", "elements", stdout=subprocess.PIPE, text=True, bufsize=1)
    time.sleep(0.3)
    samples = []
    try:
        with open(log_path, "a", buffering=1) as log:
            for addr in addresses:
                t0 = time.monotonic()
                # A syslog date: fail2ban skips lines without one.
                stamp = time.strftime("%b %e %H:%M:%S")
                log.write(f"{stamp} gw1 sshd[4242]: Failed password for root from {addr} port 4242 ssh2\n")
                log.flush()
                deadline = t0 + 5
                while True:
                    ready, _, _ = select.select([monitor.stdout], [], [], max(0, deadline - time.monotonic()))
                    if not ready:
                        raise SystemExit(f"no ban for {addr} within 5 s")
                    line = monitor.stdout.readline()
                    if not line:
                        raise SystemExit("nft monitor ended")
                    key = addr if ":" not in addr else addr.split("::")[0]
                    if "add element" in line and key in line:
                        samples.append((time.monotonic() - t0) * 1000)
                        break
                    if time.monotonic() > deadline:
                        raise SystemExit(f"no ban for {addr} within 5 s")
                time.sleep(0.005)
    finally:
        monitor.kill()
        monitor.wait()
    return samples


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def clawguard_config(work, log_path, extra=""):
    cfg = os.path.join(work, "clawguard.toml")
    with open(cfg, "w") as f:
        f.write(f"""version = 1
[fail2ban]
dir = "{work}/no-fail2ban"
[jail.sshd]
filter = "sshd"
backend = "files"
logpath = ["{log_path}"]
maxretry = 1
bantime = "1h"
[jail.openclaw-gateway]
enabled = false
filter = "openclaw-gateway"
{extra}""")
    return cfg


def start_clawguard(ns, work, cfg, state, marks=None):
    """Start the daemon; return it and the seconds until it was running
    (every engine reported). With `marks`, also the seconds until each of
    those log lines appeared."""
    out = open(os.path.join(work, "clawguard.log"), "w")
    t0 = time.monotonic()
    proc = ns.popen(BIN, "--config", cfg, "--state-dir", state, "run", stdout=out, stderr=out)
    seen = {}
    def running():
        text = open(out.name).read()
        for mark in marks or ():
            if mark not in seen and mark in text:
                seen[mark] = time.monotonic() - t0
        return "clawguard running" in text
    wait_for(running, 120, "clawguard to start")
    total = time.monotonic() - t0
    if marks is None:
        return proc, total
    return proc, total, {m: seen.get(m, total) for m in marks}


def fail2ban_conf(work, log_path, bantime="3600"):
    conf = os.path.join(work, "f2b")
    shutil.copytree("/etc/fail2ban", conf)
    for d in ("jail.d",):
        shutil.rmtree(os.path.join(conf, d), ignore_errors=True)
        os.makedirs(os.path.join(conf, d))
    with open(os.path.join(conf, "fail2ban.local"), "w") as f:
        f.write(f"""[Definition]
logtarget = {work}/fail2ban.log
socket = {work}/fail2ban.sock
pidfile = {work}/fail2ban.pid
dbfile = {work}/fail2ban.sqlite3
""")
    with open(os.path.join(conf, "jail.local"), "w") as f:
        f.write(f"""[DEFAULT]
banaction = nftables-multiport
banaction_allports = nftables-allports
[sshd]
enabled = true
filter = sshd
logpath = {log_path}
backend = pyinotify
maxretry = 1
findtime = 600
bantime = {bantime}
port = 22
""")
    return conf


def start_fail2ban(ns, work, conf):
    out = open(os.path.join(work, "fail2ban.out"), "w")
    proc = ns.popen("fail2ban-server", "-f", "-x", "-c", conf, "-s", f"{work}/fail2ban.sock",
                    "-p", f"{work}/fail2ban.pid", stdout=out, stderr=out)
    wait_for(lambda: os.path.exists(f"{work}/fail2ban.sock"), 30, "fail2ban socket")
    t0 = time.monotonic()
    sh("fail2ban-client", "-c", conf, "-s", f"{work}/fail2ban.sock", "reload")
    wait_for(lambda: "sshd" in sh("fail2ban-client", "-s", f"{work}/fail2ban.sock", "status", check=False).stdout,
             60, "fail2ban jail")
    return proc, time.monotonic() - t0


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--latency", type=int, default=200)
    ap.add_argument("--restore", type=int, default=100_000)
    ap.add_argument("--f2b-restore", type=int, default=1000)
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root (network namespaces)")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "clawguard"], cwd=ROOT, check=True)
    rows = []
    tag = str(os.getpid())

    # 1 + 3: latency and idle RSS.
    results = {}
    for engine in ("clawguard", "fail2ban"):
        work = tempfile.mkdtemp(prefix=f"cg-bench-{engine}-")
        ns = Netns(f"cgb-{engine[:3]}-{tag}")
        log_path = os.path.join(work, "auth.log")
        open(log_path, "w").close()
        try:
            if engine == "clawguard":
                proc, _ = start_clawguard(ns, work, clawguard_config(work, log_path), os.path.join(work, "state"))
            else:
                proc, _ = start_fail2ban(ns, work, fail2ban_conf(work, log_path))
            time.sleep(2)
            idle = rss_mb(proc.pid) if engine == "clawguard" else rss_mb(int(open(f"{work}/fail2ban.pid").read()))
            n = args.latency if engine == "clawguard" else min(args.latency, 50)
            samples = measure_latency(ns, log_path, test_addresses(n))
            results[engine] = (samples, idle)
            stop(proc)
        finally:
            ns.close()
            shutil.rmtree(work, ignore_errors=True)

    cg, f2b = results["clawguard"], results["fail2ban"]
    print("\n== ban latency: log line appended -> address in the kernel set (ms)")
    print(f"{'engine':<22} {'n':>5} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}")
    for name, (s, _) in (("clawguard", cg), ("fail2ban 1.0.2", f2b)):
        print(f"{name:<22} {len(s):>5} {pct(s,50):8.2f} {pct(s,90):8.2f} {pct(s,99):8.2f} {max(s):8.2f}")
    print(f"ratio p50 {pct(f2b[0],50)/pct(cg[0],50):.0f}x, p99 {pct(f2b[0],99)/pct(cg[0],99):.0f}x")

    # 2: restore.
    print("\n== restore of active bans after a restart")
    work = tempfile.mkdtemp(prefix="cg-bench-restore-")
    ns = Netns(f"cgb-rst-{tag}")
    try:
        state = os.path.join(work, "state")
        log_path = os.path.join(work, "auth.log")
        open(log_path, "w").close()
        cfg = clawguard_config(work, log_path)
        proc, _ = start_clawguard(ns, work, cfg, state)  # creates the schema
        stop(proc)
        ns.run("nft", "flush", "ruleset")
        now = int(time.time() * 1000)
        db = sqlite3.connect(os.path.join(state, "clawguard.db"))
        rows = [(a + ("/32" if ":" not in a else "/128"), "sshd", now, now + 3_600_000, 1, 1, 0)
                for a in test_addresses(args.restore)]
        db.executemany("INSERT INTO bans(target, jail, start_ms, end_ms, failures, ban_count, manual) VALUES (?,?,?,?,?,?,?)", rows)
        # As if the daemon had made these bans itself: their events are in
        # the journal already, so the restart announces none of them again.
        db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('ban_events_through_id', (SELECT MAX(id) FROM bans))")
        db.commit()
        db.close()
        proc, startup, marks = start_clawguard(ns, work, cfg, state, ["ban engine running"])
        elements = ns.run("nft", "-j", "list", "table", "inet", "clawguard").stdout
        count = sum(len(o["set"].get("elem", [])) for o in json.loads(elements)["nftables"] if "set" in o)
        stop(proc)
        print(f"clawguard: {args.restore} bans restored into the kernel in "
              f"{marks['ban engine running']:.2f} s (process start to the ban engine running; "
              f"{count} elements in the kernel); every engine ready (READY=1) after {startup:.2f} s")
    finally:
        ns.close()
        shutil.rmtree(work, ignore_errors=True)

    work = tempfile.mkdtemp(prefix="cg-bench-f2brestore-")
    ns = Netns(f"cgb-f2r-{tag}")
    try:
        log_path = os.path.join(work, "auth.log")
        open(log_path, "w").close()
        conf = fail2ban_conf(work, log_path, bantime="86400")
        proc, _ = start_fail2ban(ns, work, conf)
        addrs = test_addresses(args.f2b_restore)
        sock = f"{work}/fail2ban.sock"
        for chunk in range(0, len(addrs), 100):
            sh("fail2ban-client", "-s", sock, "set", "sshd", "banip", *addrs[chunk:chunk + 100])
        wait_for(lambda: len(json.loads(ns.run("nft", "-j", "list", "table", "inet", "f2b-table").stdout)["nftables"]) > 0, 600, "fail2ban bans")
        stop(proc)
        ns.run("nft", "flush", "ruleset")
        proc, startup = start_fail2ban(ns, work, conf)

        def restored():
            out = ns.run("nft", "-j", "list", "table", "inet", "f2b-table", check=False).stdout
            if not out:
                return False
            return sum(len(o["set"].get("elem", [])) for o in json.loads(out)["nftables"] if "set" in o) >= len(addrs)
        t0 = time.monotonic()
        wait_for(restored, 3600, "fail2ban restore")
        total = startup + time.monotonic() - t0
        stop(proc)
        print(f"fail2ban 1.0.2: {len(addrs)} bans restored in {total:.2f} s "
              f"({total/len(addrs)*1000:.2f} ms per ban; {args.restore} would take ~{total/len(addrs)*args.restore:.0f} s)")
    finally:
        ns.close()
        shutil.rmtree(work, ignore_errors=True)

    # The embedded default config (sshd from the journal or auth.log, the
    # OpenClaw gateway log), as the README's quick start runs it.
    work = tempfile.mkdtemp(prefix="cg-bench-rss-")
    try:
        out = open(os.path.join(work, "out.log"), "w")
        proc = subprocess.Popen([BIN, "--state-dir", os.path.join(work, "state"), "run", "--detect-only"],
                                stdout=out, stderr=out)
        wait_for(lambda: "clawguard running" in open(out.name).read(), 60, "clawguard to start")
        time.sleep(3)
        default_rss = rss_mb(proc.pid)
        stop(proc)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("\n== idle resident memory")
    print(f"clawguard, bench jail (sshd file, maxretry 1): {cg[1]:.1f} MB; fail2ban-server, same jail: {f2b[1]:.1f} MB")
    print(f"clawguard, embedded default config (sshd + openclaw-gateway): {default_rss:.1f} MB")


if __name__ == "__main__":
    main()
