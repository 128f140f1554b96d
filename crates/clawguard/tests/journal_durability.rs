//! The ordering of durability between the ban engine, the state database and
//! the event journal (issue 9), with a real daemon in a network namespace
//! this test creates, real nftables and real SQLite files:
//!
//! - `kill -9` during a burst of failures and bans, then a restart on the
//!   same state directory: every committed ban is in the kernel, every
//!   committed event is in the journal exactly once, and no failure is
//!   counted twice.
//! - The ban path (log append → address in the kernel set) keeps its latency
//!   while the journal writer is stalled and the bus is full.
//!
//! Both use `CLAWGUARD_FAULT=journal-stall-ms:<ms>`, which only debug builds
//! read. Needs root, `ip` and `nft`; without them the tests skip with a
//! printed reason, or fail when CLAWGUARD_REQUIRE_PRIVILEGED=1.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clawguard_testkit::{Netns, require_installed, require_root};
use common::{BIN, app_jail_config, daemon, read, stop_daemon, wait_for};
use ipnet::IpNet;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// `maxretry` of the burst test's jail.
const MAXRETRY: usize = 3;

fn cannot_run() -> bool {
    if !cfg!(debug_assertions) {
        // Not a missing privilege: a release build ignores CLAWGUARD_FAULT.
        eprintln!("skipping: CLAWGUARD_FAULT is read only by debug builds");
        return true;
    }
    !require_root("network namespaces, nftables") || !require_installed(&["ip", "nft"])
}

/// One network namespace and the daemons started in it; removed on drop.
struct Lab {
    children: Vec<Child>,
    // Dropped after `Lab::drop` has ended the processes in it.
    netns: Netns,
}

impl Lab {
    fn new(tag: &str) -> Lab {
        Lab {
            children: Vec::new(),
            netns: Netns::create_or_panic(&format!("jd{tag}")),
        }
    }

    /// Starts the daemon in the namespace with `CLAWGUARD_FAULT=fault`;
    /// waits until it runs.
    fn start_daemon(&mut self, config: &Path, state: &Path, log: &Path, fault: &str) -> usize {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", self.netns.name(), BIN]);
        let child = daemon(&mut command, config, state, log)
            .env("CLAWGUARD_FAULT", fault)
            // The log lines carry UTC times without a zone.
            .env("TZ", "UTC")
            .spawn()
            .expect("start the daemon");
        self.children.push(child);
        wait_for("the daemon to start", Duration::from_secs(20), || {
            read(log).contains("clawguard running")
        });
        self.children.len() - 1
    }

    fn kill9(&mut self, index: usize) {
        let child = &mut self.children[index];
        kill(Pid::from_raw(child.id() as i32), Signal::SIGKILL).unwrap();
        child.wait().unwrap();
    }

    fn stop(&mut self, index: usize, log: &Path) {
        let status = stop_daemon(&mut self.children[index], Duration::from_secs(20), log);
        assert!(status.success(), "{status}; log:\n{}", read(log));
    }

    fn alive(&mut self, index: usize, log: &Path) {
        if let Some(status) = self.children[index].try_wait().unwrap() {
            panic!("daemon exited with {status}; log:\n{}", read(log));
        }
    }

    /// The addresses in the kernel's `ban4` set.
    fn kernel_bans(&self) -> HashSet<IpAddr> {
        let out = self
            .netns
            .command("nft")
            .args(["list", "set", "inet", "clawguard", "ban4"])
            .output()
            .unwrap();
        addresses_in(&String::from_utf8_lossy(&out.stdout))
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Every address (or address/prefix) token in `text`.
fn addresses_in(text: &str) -> HashSet<IpAddr> {
    text.split(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':' || c == '/'))
        .filter_map(|token| {
            token
                .parse::<IpAddr>()
                .ok()
                .or_else(|| token.parse::<IpNet>().ok().map(|n| n.addr()))
        })
        .collect()
}

/// The jail `app` on a plain log file whose lines are
/// `YYYY-MM-DD HH:MM:SS fail ADDRESS` (second resolution, as syslog).
fn write_config(dir: &Path, app_log: &Path, maxretry: usize) -> PathBuf {
    let filter = dir.join("app.conf");
    std::fs::write(
        &filter,
        "[Definition]\nfailregex = ^\\s*fail <HOST>$\ndatepattern = ^%%Y-%%m-%%d %%H:%%M:%%S\n",
    )
    .unwrap();
    let config = dir.join("clawguard.toml");
    let jail = format!("maxretry = {maxretry}\nfindtime = \"10m\"\nbantime = \"1h\"\n");
    std::fs::write(&config, app_jail_config(dir, &filter, app_log, "", &jail)).unwrap();
    config
}

fn now_stamp() -> String {
    chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

fn append(log: &Path, text: &str) {
    let mut file = std::fs::OpenOptions::new().append(true).open(log).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

/// A read-only connection to an SQLite file of the state directory, or
/// `None` while it does not exist.
fn open_db(path: &Path) -> Option<rusqlite::Connection> {
    if !path.exists() {
        return None;
    }
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()?;
    conn.busy_timeout(Duration::from_secs(5)).ok()?;
    Some(conn)
}

/// One number from a query, 0 when the file or table is not there yet.
fn count(path: &Path, sql: &str) -> i64 {
    open_db(path)
        .and_then(|c| c.query_row(sql, [], |r| r.get::<_, Option<i64>>(0)).ok())
        .flatten()
        .unwrap_or(0)
}

/// A ban as the state database holds it.
#[derive(Debug, Clone)]
struct StoredBan {
    target: IpNet,
    end_ms: Option<i64>,
    failures: i64,
}

/// Active bans in `<state>/clawguard.db`.
fn stored_active_bans(state: &Path) -> Vec<StoredBan> {
    let Some(conn) = open_db(&state.join("clawguard.db")) else {
        return Vec::new();
    };
    let now = chrono::Utc::now().timestamp_millis();
    let mut stmt = conn
        .prepare(
            "SELECT target, end_ms, failures FROM bans
             WHERE lifted_ms IS NULL AND (end_ms IS NULL OR end_ms > ?1)",
        )
        .unwrap();
    stmt.query_map([now], |r| {
        Ok(StoredBan {
            target: r.get::<_, String>(0)?.parse().unwrap(),
            end_ms: r.get(1)?,
            failures: r.get(2)?,
        })
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// A `banned` record of `clawguard events --json`.
#[derive(Debug, Clone)]
struct BannedEvent {
    seq: u64,
    target: IpNet,
    until_ms: Option<i64>,
    failures: i64,
}

/// Every record of the journal, read as a user would (JSON Lines).
fn journal_records(state: &Path) -> Vec<serde_json::Value> {
    let out = Command::new(BIN)
        .arg("--state-dir")
        .arg(state)
        .args(["events", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "clawguard events: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

fn banned_events(records: &[serde_json::Value]) -> Vec<BannedEvent> {
    records
        .iter()
        .filter(|r| r["kind"] == "banned")
        .map(|r| BannedEvent {
            seq: r["seq"].as_u64().unwrap(),
            target: r["target"].as_str().unwrap().parse().unwrap(),
            until_ms: r["until_ms"].as_i64(),
            failures: r["failures"].as_i64().unwrap(),
        })
        .collect()
}

fn v4(net: &str, host: usize) -> IpAddr {
    format!("{net}.{host}").parse().unwrap()
}

/// Syslog times have a resolution of one second: the whole burst carries
/// one, so the bans of many batches share a start.
#[test]
fn kill_9_during_a_burst_loses_no_ban_or_event_and_counts_no_failure_twice() {
    if cannot_run() {
        return;
    }
    let now = chrono::Utc::now();
    kill_9_during_a_burst("k", &|_| now);
}

/// Lines need not arrive in time order (a buffering writer, several
/// sources): each chunk of the burst carries an earlier time than the one
/// before, so later bans start earlier.
#[test]
fn kill_9_when_later_lines_carry_earlier_times() {
    if cannot_run() {
        return;
    }
    let now = chrono::Utc::now();
    kill_9_during_a_burst("o", &|chunk| now - chrono::Duration::seconds(chunk as i64));
}

/// kill -9 mid-burst, restart, and check every durability promise. Chunk
/// `i` of the burst carries the time `time_of(i)`.
fn kill_9_during_a_burst(tag: &str, time_of: &dyn Fn(usize) -> chrono::DateTime<chrono::Utc>) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let app_log = d.join("app.log");
    std::fs::write(&app_log, "").unwrap();
    let config = write_config(d, &app_log, MAXRETRY);
    let state = d.join("state");
    let events_db = state.join(clawguard_journal::JOURNAL_FILE);
    let state_db = state.join("clawguard.db");
    let log1 = d.join("daemon1.log");
    let mut lab = Lab::new(tag);
    // Commits lag 200 ms behind the bans, so the kill lands between them.
    let first = lab.start_daemon(&config, &state, &log1, "journal-stall-ms:200");

    // Group A: 200 addresses, MAXRETRY failures each (banned). Group B: 50
    // addresses, MAXRETRY - 1 failures each, the first and the last on
    // either side of the kill (never banned unless a failure counts twice).
    let group_a: Vec<IpAddr> = (1..=100)
        .map(|h| v4("198.51.100", h))
        .chain((1..=100).map(|h| v4("203.0.113", h)))
        .collect();
    let group_b: Vec<IpAddr> = (201..=225)
        .map(|h| v4("198.51.100", h))
        .chain((201..=225).map(|h| v4("203.0.113", h)))
        .collect();
    let mut lines_of: HashMap<IpAddr, i64> = HashMap::new();
    const CHUNKS: usize = 20;
    let chunks: Vec<String> = (0..CHUNKS)
        .map(|i| {
            let stamp = time_of(i).format("%Y-%m-%d %H:%M:%S");
            let mut text = String::new();
            let a = &group_a[i * 10..(i + 1) * 10];
            for _ in 0..MAXRETRY {
                for address in a {
                    text.push_str(&format!("{stamp} fail {address}\n"));
                    *lines_of.entry(*address).or_default() += 1;
                }
            }
            let b_at = (i % (CHUNKS / 2)) * 5;
            for address in &group_b[b_at..b_at + 5] {
                text.push_str(&format!("{stamp} fail {address}\n"));
                *lines_of.entry(*address).or_default() += 1;
            }
            text
        })
        .collect();
    assert!(group_b.iter().all(|b| lines_of[b] == MAXRETRY as i64 - 1));

    // Kill once some batch's events and positions are durable while later
    // bans are stored but their events are not yet in the journal.
    let through = "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'ban_events_through_id'";
    let journal_bans = "SELECT COUNT(*) FROM events WHERE kind = 'banned'";
    let stored = "SELECT COUNT(*) FROM bans";
    let mut killed_at = None;
    let mut next = 0;
    let burst_deadline = Instant::now() + Duration::from_secs(20);
    while killed_at.is_none() {
        assert!(
            Instant::now() < burst_deadline,
            "the kill never landed between a stored ban and its journal event; log:\n{}",
            read(&log1)
        );
        if next < CHUNKS {
            append(&app_log, &chunks[next]);
            next += 1;
        }
        std::thread::sleep(Duration::from_millis(50));
        lab.alive(first, &log1);
        let (bans, events) = (count(&state_db, stored), count(&events_db, journal_bans));
        if count(&state_db, through) > 0 && events > 0 && bans > events {
            lab.kill9(first);
            killed_at = Some(next);
        }
    }
    let chunks_before_kill = killed_at.unwrap();
    // What was durable at the kill.
    let (bans_at_kill, events_at_kill) =
        (count(&state_db, stored), count(&events_db, journal_bans));
    let positions_at_kill = count(&state_db, "SELECT COUNT(*) FROM positions");
    eprintln!(
        "kill -9 after {chunks_before_kill}/{CHUNKS} chunks: {bans_at_kill} bans stored, \
         {events_at_kill} banned events committed, {positions_at_kill} positions saved"
    );
    assert!(
        events_at_kill < bans_at_kill,
        "the kill must land while stored bans wait for their events"
    );
    // The rest of the burst arrives while the daemon is down, then a
    // sentinel: once it is banned, every line before it was read.
    for chunk in &chunks[chunks_before_kill..] {
        append(&app_log, chunk);
    }
    let sentinel: IpAddr = "192.0.2.10".parse().unwrap();
    append(
        &app_log,
        &format!("{} fail {sentinel}\n", now_stamp()).repeat(MAXRETRY),
    );
    lines_of.insert(sentinel, MAXRETRY as i64);

    let log2 = d.join("daemon2.log");
    let second = lab.start_daemon(&config, &state, &log2, "");
    wait_for(
        "the restarted daemon to read the whole log",
        Duration::from_secs(30),
        || {
            stored_active_bans(&state)
                .iter()
                .any(|b| b.target.addr() == sentinel)
        },
    );
    let active = stored_active_bans(&state);
    let expected: HashSet<IpAddr> = active.iter().map(|b| b.target.addr()).collect();
    // Every ban committed in the state database is in the kernel.
    let kernel_deadline = Instant::now() + Duration::from_secs(10);
    while !expected.is_subset(&lab.kernel_bans()) && Instant::now() < kernel_deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let kernel = lab.kernel_bans();
    let missing: Vec<&IpAddr> = expected.difference(&kernel).collect();
    assert!(
        missing.is_empty(),
        "stored bans missing from the kernel set: {missing:?}"
    );
    lab.stop(second, &log2);

    // The same after a clean stop (the table outlives the daemon), and
    // nothing banned that should not be.
    let kernel = lab.kernel_bans();
    let active = stored_active_bans(&state);
    let stored_targets: HashSet<IpAddr> = active.iter().map(|b| b.target.addr()).collect();
    assert!(stored_targets.is_subset(&kernel));
    for address in group_a.iter().chain([&sentinel]) {
        assert!(
            stored_targets.contains(address),
            "{address} wrote {MAXRETRY} failures and is not banned"
        );
    }
    // No failure counted twice: MAXRETRY - 1 failures never make a ban.
    let double_counted: Vec<&IpAddr> = group_b
        .iter()
        .filter(|b| stored_targets.contains(b) || kernel.contains(b))
        .collect();
    assert!(
        double_counted.is_empty(),
        "banned with only {} failures written (a failure counted twice): {double_counted:?}",
        MAXRETRY - 1
    );
    for ban in &active {
        let written = lines_of.get(&ban.target.addr()).copied().unwrap_or(0);
        assert!(
            ban.failures <= written,
            "{ban:?} counts more failures than the {written} lines written"
        );
    }

    // Every committed event is in the journal exactly once.
    let conn = open_db(&events_db).unwrap();
    let duplicated: Vec<(String, i64)> = conn
        .prepare(
            "SELECT once_key, COUNT(*) FROM events WHERE once_key IS NOT NULL
             GROUP BY once_key HAVING COUNT(*) > 1",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(duplicated.is_empty(), "once-keys twice: {duplicated:?}");
    let records = journal_records(&state);
    let banned = banned_events(&records);
    let mut per_ban: BTreeMap<(IpNet, Option<i64>), Vec<u64>> = BTreeMap::new();
    for event in &banned {
        per_ban
            .entry((event.target, event.until_ms))
            .or_default()
            .push(event.seq);
        let written = lines_of.get(&event.target.addr()).copied().unwrap_or(0);
        assert!(
            event.failures <= written,
            "{event:?} counts more failures than the {written} lines written"
        );
    }
    let twice: Vec<_> = per_ban.iter().filter(|(_, seqs)| seqs.len() > 1).collect();
    assert!(twice.is_empty(), "a ban announced twice: {twice:?}");
    // Each address was banned once (same-second lines read again give the
    // same ban, never a second one).
    let mut per_target: HashMap<IpAddr, usize> = HashMap::new();
    for event in &banned {
        *per_target.entry(event.target.addr()).or_default() += 1;
    }
    let rebanned: Vec<_> = per_target.iter().filter(|(_, n)| **n > 1).collect();
    assert!(rebanned.is_empty(), "banned twice: {rebanned:?}");
    // Every stored ban has its `banned` event.
    let unannounced: Vec<&StoredBan> = active
        .iter()
        .filter(|b| !per_ban.contains_key(&(b.target, b.end_ms)))
        .collect();
    assert!(
        unannounced.is_empty(),
        "{} of {} stored bans have no banned event in the journal \
         (durable at the kill: {bans_at_kill} bans, {events_at_kill} events): {:?}",
        unannounced.len(),
        active.len(),
        unannounced.iter().take(10).collect::<Vec<_>>()
    );
    // And no event without its ban.
    let journaled_only: Vec<&BannedEvent> = banned
        .iter()
        .filter(|e| !stored_targets.contains(&e.target.addr()))
        .collect();
    assert!(journaled_only.is_empty(), "{journaled_only:?}");
}

/// A background `nft monitor elements` in the namespace: every line it
/// prints, with the instant it was read.
struct Monitor {
    child: Child,
    lines: mpsc::Receiver<(Instant, String)>,
}

impl Monitor {
    fn start(netns: &Netns) -> Monitor {
        let mut child = netns
            .command("nft")
            .args(["monitor", "elements"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("nft monitor");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        Monitor { child, lines }
    }

    /// The instant `address` was added to a set, waiting at most `limit`.
    fn added(&self, address: IpAddr, limit: Duration) -> Option<Instant> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let (at, line) = self.lines.recv_timeout(left).ok()?;
            if line.contains("add element") && addresses_in(&line).contains(&address) {
                return Some(at);
            }
        }
    }

    fn drain(&self) {
        while self.lines.try_recv().is_ok() {}
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Distinct IPv6 /64s, to flood the bus with `banned` events.
fn flood_address(n: usize) -> String {
    format!("2001:db8:{:x}:{:x}::1", n / 0x1_0000, n % 0x1_0000)
}

/// One daemon whose ban latency is measured, in a namespace of its own.
struct Subject {
    monitor: Monitor,
    lab: Lab,
    index: usize,
    app_log: PathBuf,
    state: PathBuf,
    log: PathBuf,
    flood_started: Instant,
    samples_ms: Vec<f64>,
    _dir: tempfile::TempDir,
}

/// What one subject measured.
struct Run {
    samples_ms: Vec<f64>,
    /// Bans stored when the last sample was taken.
    stored_bans: i64,
    /// Events committed to the journal by then.
    committed_events: i64,
    /// From the first flood line to the last sample.
    elapsed: Duration,
}

impl Subject {
    /// A daemon (with `stall_ms`, its journal writer sleeps that long before
    /// each commit) that has taken a flood of `flood` bans, more than the
    /// bus and one writer batch hold. Without a stall the flood's events are
    /// committed before this returns, so that writer is idle.
    fn start(tag: &str, stall_ms: Option<u64>, flood: usize) -> Subject {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let app_log = d.join("app.log");
        std::fs::write(&app_log, "").unwrap();
        let config = write_config(d, &app_log, 1);
        let state = d.join("state");
        let log = d.join("daemon.log");
        let fault = stall_ms
            .map(|ms| format!("journal-stall-ms:{ms}"))
            .unwrap_or_default();
        let mut lab = Lab::new(tag);
        let index = lab.start_daemon(&config, &state, &log, &fault);
        let monitor = Monitor::start(&lab.netns);

        let flood_started = Instant::now();
        let stamp = now_stamp();
        let text: String = (0..flood)
            .map(|n| format!("{stamp} fail {}\n", flood_address(n)))
            .collect();
        append(&app_log, &text);
        let subject = Subject {
            monitor,
            lab,
            index,
            app_log,
            state,
            log,
            flood_started,
            samples_ms: Vec::new(),
            _dir: dir,
        };
        wait_for("the flood's bans", Duration::from_secs(45), || {
            subject.stored_bans() >= flood as i64
        });
        if stall_ms.is_none() {
            wait_for("the flood's events", Duration::from_secs(45), || {
                subject.committed_events() >= flood as i64
            });
        }
        // Let the last flood elements reach the monitor, then forget them.
        std::thread::sleep(Duration::from_millis(300));
        subject.monitor.drain();
        subject
    }

    fn stored_bans(&self) -> i64 {
        count(
            &self.state.join("clawguard.db"),
            "SELECT COUNT(*) FROM bans",
        )
    }

    fn committed_events(&self) -> i64 {
        count(
            &self.state.join(clawguard_journal::JOURNAL_FILE),
            "SELECT COUNT(*) FROM events",
        )
    }

    /// One failure line for `address` (maxretry 1), timed until `nft
    /// monitor` reports the element added.
    fn sample(&mut self, address: IpAddr) {
        let line = format!("{} fail {address}\n", now_stamp());
        let appended = Instant::now();
        append(&self.app_log, &line);
        let Some(added) = self.monitor.added(address, Duration::from_secs(5)) else {
            panic!(
                "{address} not in the kernel set within 5 s; log:\n{}",
                read(&self.log)
            );
        };
        self.samples_ms
            .push(added.duration_since(appended).as_secs_f64() * 1000.0);
    }

    /// What it measured. The daemon is killed, not stopped: a clean stop
    /// would wait on a stalled writer.
    fn finish(mut self) -> Run {
        let run = Run {
            samples_ms: std::mem::take(&mut self.samples_ms),
            stored_bans: self.stored_bans(),
            committed_events: self.committed_events(),
            elapsed: self.flood_started.elapsed(),
        };
        self.lab.alive(self.index, &self.log);
        run
    }
}

fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

#[test]
fn the_ban_path_keeps_its_latency_while_the_journal_writer_is_stalled() {
    if cannot_run() {
        return;
    }
    const SAMPLES: usize = 200;
    const STALL_MS: u64 = 30_000;
    // More events than the bus and the writer's batch in hand can hold.
    let flood = clawguard_journal::BUS_CAPACITY + clawguard_journal::MAX_BATCH + 1000;
    let mut free = Subject::start("f", None, flood);
    let mut stalled = Subject::start("s", Some(STALL_MS), flood);
    // Alternating, so the machine's load falls on both alike.
    for n in 0..SAMPLES {
        let address = v4(
            if n < 100 { "198.51.100" } else { "203.0.113" },
            n % 100 + 1,
        );
        // Each goes first half of the time.
        if n % 2 == 0 {
            free.sample(address);
            stalled.sample(address);
        } else {
            stalled.sample(address);
            free.sample(address);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let (free, stalled) = (free.finish(), stalled.finish());
    let summary = |run: &Run| {
        format!(
            "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            percentile(&run.samples_ms, 50.0),
            percentile(&run.samples_ms, 90.0),
            percentile(&run.samples_ms, 99.0),
            percentile(&run.samples_ms, 100.0)
        )
    };
    eprintln!(
        "ban latency, journal writer idle:    {} ({} events committed)",
        summary(&free),
        free.committed_events
    );
    eprintln!(
        "ban latency, journal writer stalled: {} ({} events committed, {} bans stored, \
         {:?} since the flood)",
        summary(&stalled),
        stalled.committed_events,
        stalled.stored_bans,
        stalled.elapsed
    );

    // The stall was in force for the whole measurement, and the ban engine
    // made more events than the writer's batch in hand and the bus hold
    // together: the rest waited in its outbox.
    assert!(
        stalled.elapsed < Duration::from_millis(STALL_MS - 2_000),
        "the run outlasted the stall: {:?}",
        stalled.elapsed
    );
    assert_eq!(
        stalled.committed_events, 0,
        "the journal writer was not stalled"
    );
    assert!(
        stalled.stored_bans as usize
            > clawguard_journal::BUS_CAPACITY + clawguard_journal::MAX_BATCH,
        "{} bans: the bus was never full",
        stalled.stored_bans
    );
    assert!(free.committed_events >= flood as i64);

    let p99 = percentile(&stalled.samples_ms, 99.0);
    let free_p99 = percentile(&free.samples_ms, 99.0);
    // A ban that waited on the journal would take the stall (30 s).
    let max = percentile(&stalled.samples_ms, 100.0);
    assert!(
        max < 1_000.0,
        "a ban waited {max:.0} ms with the writer stalled"
    );
    // Medians are steady even on a loaded machine: a ban path that waits
    // for room on the bus shows here first.
    let (p50, free_p50) = (
        percentile(&stalled.samples_ms, 50.0),
        percentile(&free.samples_ms, 50.0),
    );
    assert!(
        p50 <= 2.0 * free_p50 + 1.0,
        "the stalled writer slows bans: p50 {p50:.2} ms vs {free_p50:.2} ms with it idle"
    );
    // The bound is 10 ms at p99. With 200 samples p99 is the second
    // slowest ban, so one scheduling hiccup moves it: CI once saw 6.04 ms
    // stalled against 1.73 ms idle, well inside the bound. The bound decides
    // when the machine can meet it at all (idle p99 at most half of it); on a
    // machine too slow for that, the stalled run must stay near the idle one.
    if free_p99 <= 5.0 {
        assert!(
            p99 <= 10.0,
            "ban latency p99 {p99:.2} ms > 10 ms with the journal writer stalled \
             (idle {free_p99:.2} ms)"
        );
    } else {
        eprintln!(
            "the idle run's p99 ({free_p99:.2} ms) leaves no room under 10 ms on this \
             machine: the stalled run is held to the idle one instead"
        );
        assert!(
            p99 <= 2.0 * free_p99 + 2.0,
            "the stalled writer slows bans: p99 {p99:.2} ms vs {free_p99:.2} ms with it idle"
        );
    }
}
