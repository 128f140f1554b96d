#!/usr/bin/env python3
"""Alerting benchmarks: clawguard side by side with the loop it replaces,
`tail -F LOG | grep --line-buffered PATTERN | while read l; do curl …; done`,
on the same lines, in one run, both posting to the same kind of receiver on
loopback (a threaded Python HTTP server that timestamps each request).

1. Latency: a matching log line appended → the webhook request received,
   `group_wait = 0s`. Lines go round-robin to 50 log files (50 alert groups,
   each line ≥ 1 s after the last in its group), so no line waits for
   `group_interval`; the peer loop reads one file.
2. Flood: 10,000 matching lines appended at once. Messages sent and the
   counts they carry (clawguard: grouped; the loop: one request per line).

Then, in process (crates/alert/examples/alert_bench.rs): a flood of
1,000,000 events from the journal into grouped alerts (events/s, peak
memory), and a sink down for SECONDS under steady traffic (catch-up time and
message count on recovery).

The daemon runs with --detect-only, fim, skills and jails off. Usage:
bench/alert.py [--latency N] [--flood N] [--journal-flood N] [--outage SECONDS]
"""
import argparse
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "clawguard")
FILES = 50
LINE_ID = re.compile(r"BENCH-ALERT id=(\d+)")


class Receiver:
    """Records (monotonic ns, body) of every POST."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                at = time.monotonic_ns()
                with outer.lock:
                    outer.requests.append((at, body))
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def snapshot(self):
        with self.lock:
            return list(self.requests)

    def close(self):
        self.server.shutdown()


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def summary(name, lat_ns):
    ms = [v / 1e6 for v in lat_ns]
    return {
        "who": name,
        "samples": len(ms),
        "p50_ms": round(pct(ms, 50), 2),
        "p99_ms": round(pct(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.mean(ms), 2),
    }


def clawguard_config(work, url, group_wait, group_interval):
    cfg = os.path.join(work, "clawguard.toml")
    with open(cfg, "w") as f:
        f.write(f"""version = 1
[fail2ban]
dir = "{work}/no-fail2ban"
[fim]
enabled = false
[skills]
enabled = false
[jail.sshd]
enabled = false
[jail.openclaw-gateway]
enabled = false
[alert]
group_wait = "{group_wait}"
group_interval = "{group_interval}"
group_by = ["rule", "source"]
[[alert.sink]]
name = "bench"
type = "webhook"
url = "{url}"
secret = "bench-secret"
min_severity = "info"
engines = ["logs"]
[alert.log_rule.bench]
backend = "files"
logpath = ["{work}/logs/*.log"]
regex = ['BENCH-ALERT id=\\d+']
severity = "high"
""")
        for rule in ("openclaw-device-upgrade", "openclaw-pairing-auto-approved",
                     "openclaw-untrusted-proxy-headers", "openclaw-dangerous-config"):
            f.write(f"[alert.log_rule.{rule}]\nenabled = false\n")
    return cfg


def start_clawguard(work, url, group_wait="0s", group_interval="1s"):
    os.makedirs(os.path.join(work, "logs"), exist_ok=True)
    for i in range(FILES):
        open(os.path.join(work, "logs", f"f{i}.log"), "a").close()
    cfg = clawguard_config(work, url, group_wait, group_interval)
    log = open(os.path.join(work, "daemon.log"), "w")
    proc = subprocess.Popen(
        [BIN, "--config", cfg, "--state-dir", os.path.join(work, "state"), "run", "--detect-only"],
        stdout=log, stderr=log, env={**os.environ, "RUST_LOG": "warn"},
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        status = os.path.join(work, "state", "engines.json")
        if os.path.exists(status):
            try:
                engines = json.load(open(status)).get("engines", {})
                text = json.dumps(engines)
                if '"alert"' in text and '"starting"' not in text:
                    break
            except (ValueError, OSError):
                pass
        time.sleep(0.1)
    time.sleep(1.0)
    return proc


def start_peer(work, url, path):
    # The loop from the guides, verbatim apart from the URL.
    script = (
        f"tail -n0 -F {path} | grep --line-buffered -E 'BENCH-ALERT id=[0-9]+' | "
        f"while read -r line; do curl -s -o /dev/null -X POST --data-binary \"$line\" {url}; done"
    )
    proc = subprocess.Popen(["bash", "-c", script], start_new_session=True)
    time.sleep(1.0)
    return proc


def stop(proc):
    try:
        os.killpg(proc.pid, 15)
    except (ProcessLookupError, PermissionError):
        proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def ids_in(body):
    return [int(m) for m in LINE_ID.findall(body.decode("utf-8", "replace"))]


def latency(n, work):
    results = []
    # clawguard
    receiver = Receiver()
    proc = start_clawguard(os.path.join(work, "cg-lat"), receiver.url)
    appended = {}
    logs = os.path.join(work, "cg-lat", "logs")
    for i in range(n):
        path = os.path.join(logs, f"f{i % FILES}.log")
        with open(path, "a") as f:
            appended[i] = time.monotonic_ns()
            f.write(f"2026-12-07 BENCH-ALERT id={i} from 203.0.113.{i % 250 + 1}\n")
        time.sleep(1.05 / FILES)
    time.sleep(3)
    first = {}
    for at, body in receiver.snapshot():
        for i in ids_in(body):
            first.setdefault(i, at)
    lat = [first[i] - appended[i] for i in appended if i in first]
    stop(proc)
    receiver.close()
    s = summary("clawguard", lat)
    s["delivered"] = f"{len(lat)}/{n}"
    results.append(s)

    # the grep | curl loop
    receiver = Receiver()
    peer_log = os.path.join(work, "peer.log")
    open(peer_log, "w").close()
    proc = start_peer(work, receiver.url, peer_log)
    appended = {}
    for i in range(n):
        with open(peer_log, "a") as f:
            appended[i] = time.monotonic_ns()
            f.write(f"2026-12-07 BENCH-ALERT id={i} from 203.0.113.{i % 250 + 1}\n")
        time.sleep(1.05 / FILES)
    time.sleep(3)
    first = {}
    for at, body in receiver.snapshot():
        for i in ids_in(body):
            first.setdefault(i, at)
    lat = [first[i] - appended[i] for i in appended if i in first]
    stop(proc)
    receiver.close()
    s = summary("tail|grep|curl", lat)
    s["delivered"] = f"{len(lat)}/{n}"
    results.append(s)
    return results


def flood(n, work):
    out = {}
    receiver = Receiver()
    base = os.path.join(work, "cg-flood")
    proc = start_clawguard(base, receiver.url, group_wait="2s", group_interval="5s")
    path = os.path.join(base, "logs", "f0.log")
    t0 = time.monotonic()
    with open(path, "a") as f:
        for i in range(n):
            f.write(f"BENCH-ALERT id={i} Failed password for root from 203.0.113.{i % 250 + 1}\n")
    deadline = time.time() + 120
    counted = 0
    while time.time() < deadline:
        counted = 0
        for _, body in receiver.snapshot():
            counted += json.loads(body)["events"]
        if counted >= n:
            break
        time.sleep(0.2)
    out["clawguard"] = {"lines": n, "messages": len(receiver.snapshot()), "events_counted": counted,
                        "all_counted_s": round(time.monotonic() - t0, 2),
                        "timers": "group_wait 2s, group_interval 5s"}
    stop(proc)
    receiver.close()

    receiver = Receiver()
    peer_log = os.path.join(work, "peer-flood.log")
    open(peer_log, "w").close()
    proc = start_peer(work, receiver.url, peer_log)
    t0 = time.monotonic()
    with open(peer_log, "a") as f:
        for i in range(n):
            f.write(f"BENCH-ALERT id={i} Failed password for root from 203.0.113.{i % 250 + 1}\n")
    deadline = time.time() + 300
    while time.time() < deadline and len(receiver.snapshot()) < n:
        time.sleep(0.2)
    out["tail|grep|curl"] = {"lines": n, "messages": len(receiver.snapshot()),
                             "all_sent_s": round(time.monotonic() - t0, 2)}
    stop(proc)
    receiver.close()
    return out


def in_process(args):
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "clawguard-alert", "--example", "alert_bench"],
                   cwd=ROOT, check=True)
    bench = os.path.join(ROOT, "target", "release", "examples", "alert_bench")
    out = {}
    r = subprocess.run([bench, "flood", str(args.journal_flood)], capture_output=True, text=True, check=True)
    out["journal_flood"] = json.loads(r.stdout)
    r = subprocess.run([bench, "outage", str(args.outage), "100"], capture_output=True, text=True, check=True)
    out["outage"] = json.loads(r.stdout)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--latency", type=int, default=200)
    p.add_argument("--flood", type=int, default=10000)
    p.add_argument("--journal-flood", type=int, default=1000000)
    p.add_argument("--outage", type=int, default=60)
    args = p.parse_args()
    for tool in ("curl", "tail", "grep"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed for the peer loop")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "clawguard"], cwd=ROOT, check=True)
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"machine: {os.cpu_count()} CPUs, load average {load}")
    work = tempfile.mkdtemp(prefix="clawguard-alert-bench-")
    try:
        lat = latency(args.latency, work)
        for row in lat:
            print(json.dumps({"latency": row}))
        cg, peer = lat[0], lat[1]
        print(f"latency p99: clawguard {cg['p99_ms']} ms, tail|grep|curl {peer['p99_ms']} ms "
              f"(ratio {peer['p99_ms'] / max(cg['p99_ms'], 0.001):.2f})")
        fl = flood(args.flood, work)
        print(json.dumps({"flood": fl}))
        print(f"flood of {args.flood} lines: clawguard {fl['clawguard']['messages']} messages, "
              f"tail|grep|curl {fl['tail|grep|curl']['messages']} "
              f"(ratio {fl['tail|grep|curl']['messages'] / max(fl['clawguard']['messages'], 1):.0f}x fewer)")
        ip = in_process(args)
        print(json.dumps(ip))
        jf, ou = ip["journal_flood"], ip["outage"]
        print(f"journal flood {jf['events']} events: {jf['events_per_s']:.0f} events/s into grouped alerts, "
              f"{jf['messages']} messages, engine RSS max {jf['rss_kib_max_during'] / 1024:.1f} MiB "
              f"(before engine {jf['rss_kib_before_engine'] / 1024:.1f} MiB)")
        print(f"outage {ou['outage_s']} s at 100 events/s: {ou['requests_during_outage']} requests while down, "
              f"{ou['messages_after_recovery']} messages in all, caught up {ou['catch_up_s']:.1f} s after "
              f"the receiver came back, complete={ou['complete']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
