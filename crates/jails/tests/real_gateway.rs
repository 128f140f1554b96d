//! The `openclaw-gateway` filter against the real OpenClaw gateway (issue 8,
//! item 11): every failure kind the gateway can produce offline, sent from
//! non-loopback addresses (loopback is exempt in the gateway), must count
//! exactly once when the jail's filter reads the log file the gateway wrote.
//!
//! Two network namespaces joined by a veth pair: the gateway's (192.0.2.1,
//! `--bind lan`, i.e. 0.0.0.0 inside its own namespace) and the clients'
//! (192.0.2.x, one address per failure kind so each count is checked on its
//! own). Two gateways run side by side: token auth, and password auth with
//! `gateway.trustedProxies = ["192.0.2.20"]`. Each has its own HOME, TMPDIR
//! and `logging.file` in the test's temp dir. The clients are one node script
//! (`real_gateway/ws-client.mjs`) run once per kind, so node starts stay few.
//!
//! Sent: wrong token; missing token, three at once and one more after the
//! gateway's 30 s log throttle has passed (its line carries ` suppressed=2`);
//! twelve wrong tokens, the last two after the gateway's own lockout
//! (10 failures / 60 s, `rate_limited`); a bad device signature; wrong
//! password; missing password (throttled the same way); and wrong passwords
//! through the trusted proxy with forwarded lists, one of which has a
//! loopback hop and one an unparseable hop (item 10: nothing counted).
//!
//! Needs root, iproute2, and `CLAWGUARD_NODE` / `CLAWGUARD_NPM_TOOLS` from
//! `eval "$(.ci/node-tools.sh)"` (Node 24 and openclaw 2026.9.6). Skips with
//! a printed reason without them, or fails when CLAWGUARD_REQUIRE_PRIVILEGED=1.
//! Every wait is bounded; the gateways are stopped and the namespaces deleted
//! on drop, so also when an assertion fails.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clawguard_jails::catalog::FilterPlan;
use clawguard_jails::filter_test::MAX_LINE_BYTES;
use clawguard_jails::matcher::{JailFilter, for_each_line};
use clawguard_testkit::node::{NodeTools, node_tools};
use clawguard_testkit::{Netns, require_root, skip_or_fail, tool_works};
use ipnet::IpNet;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::Value;

const CLIENT_SCRIPT: &str = include_str!("real_gateway/ws-client.mjs");

const GATEWAY_ADDR: &str = "192.0.2.1";
const TOKEN_PORT: u16 = 18789;
const PASSWORD_PORT: u16 = 28789;
const TOKEN: &str = "real-gateway-test-token";
const PASSWORD: &str = "real-gateway-test-password";
const PROXY: &str = "192.0.2.20";
/// Client addresses, one per failure kind.
const WRONG_TOKEN: &str = "192.0.2.10";
const MISSING_TOKEN: &str = "192.0.2.11";
const LOCKOUT: &str = "192.0.2.12";
const BAD_SIGNATURE: &str = "192.0.2.13";
const WRONG_PASSWORD: &str = "192.0.2.14";
const MISSING_PASSWORD: &str = "192.0.2.15";

/// The gateway starts in about 20 s on an idle machine; allow for a busy one.
const GATEWAY_START_TIMEOUT: Duration = Duration::from_secs(180);
const GATEWAY_STOP_TIMEOUT: Duration = Duration::from_secs(30);
/// Per handshake the client makes (the client bounds each at 15 s itself).
const CLIENT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// The gateway's log throttle for missing credentials (`intervalMs` 30000),
/// plus a margin for the handshake latency under load.
const THROTTLE_WINDOW: Duration = Duration::from_secs(35);

/// Node and the installed openclaw package.
struct Tools {
    node: PathBuf,
    npm_tools: PathBuf,
    openclaw: PathBuf,
}

fn tools() -> Option<Tools> {
    if !require_root("network namespaces") {
        return None;
    }
    if !tool_works("ip", "-V") {
        skip_or_fail("`ip` (iproute2) is not installed");
        return None;
    }
    let NodeTools { node, npm_tools } = node_tools()?;
    let package = npm_tools.join("openclaw/package.json");
    let Ok(text) = std::fs::read_to_string(&package) else {
        skip_or_fail(format!("{} is missing", package.display()));
        return None;
    };
    let manifest: Value = serde_json::from_str(&text).expect("openclaw package.json parses");
    let bin = match &manifest["bin"] {
        Value::String(bin) => bin.clone(),
        bins => bins["openclaw"]
            .as_str()
            .expect("openclaw package.json has a bin entry")
            .to_string(),
    };
    Some(Tools {
        node,
        openclaw: npm_tools.join("openclaw").join(bin),
        npm_tools,
    })
}

/// The namespaces, the gateways in them, and their cleanup.
struct Lab {
    gateways: Vec<Child>,
    // Dropped after `Lab::drop` has ended everything running in them.
    gateway_ns: Netns,
    client_ns: Netns,
}

impl Lab {
    fn create() -> Lab {
        let pid = std::process::id();
        let lab = Lab {
            gateways: Vec::new(),
            gateway_ns: Netns::create_or_panic("gw"),
            client_ns: Netns::create_or_panic("gc"),
        };
        let (veth_gw, veth_cl) = (format!("cgw{pid}"), format!("cgc{pid}"));
        lab.gateway_ns.veth(&veth_gw, &lab.client_ns, &veth_cl);
        lab.gateway_ns
            .add_address(&veth_gw, &format!("{GATEWAY_ADDR}/24"));
        lab.gateway_ns.link_up(&veth_gw);
        for addr in [
            WRONG_TOKEN,
            MISSING_TOKEN,
            LOCKOUT,
            BAD_SIGNATURE,
            WRONG_PASSWORD,
            MISSING_PASSWORD,
            PROXY,
        ] {
            lab.client_ns.add_address(&veth_cl, &format!("{addr}/24"));
        }
        lab.client_ns.link_up(&veth_cl);
        lab
    }

    /// Starts a gateway in its namespace. `auth` is e.g. `["--auth", "token",
    /// "--token", T]`; `config` goes to `$HOME/.openclaw/openclaw.json`.
    fn start_gateway(
        &mut self,
        tools: &Tools,
        dir: &Path,
        port: u16,
        auth: &[&str],
        config: &Value,
    ) {
        let home = dir.join("home");
        let tmp = dir.join("tmp");
        std::fs::create_dir_all(home.join(".openclaw")).unwrap();
        std::fs::create_dir_all(&tmp).unwrap();
        std::fs::write(
            home.join(".openclaw/openclaw.json"),
            serde_json::to_vec_pretty(config).unwrap(),
        )
        .unwrap();
        let node_bin = tools.node.parent().expect("node has a directory");
        let path = format!("{}:/usr/sbin:/usr/bin:/sbin:/bin", node_bin.display());
        let child = self
            .gateway_ns
            .command(&tools.node)
            .arg(&tools.openclaw)
            .args(["gateway", "run", "--allow-unconfigured", "--bind", "lan"])
            .args(["--port", &port.to_string()])
            .args(auth)
            .env_clear()
            .env("PATH", path)
            .env("HOME", &home)
            .env("TMPDIR", &tmp)
            .env("NO_COLOR", "1")
            .env("OPENCLAW_DISABLE_BONJOUR", "1")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(dir.join("stdout.log")).unwrap())
            .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap())
            .spawn()
            .expect("start the gateway");
        // `ip netns exec` execs node in place: this pid is the gateway.
        self.gateways.push(child);
    }

    /// Stops every gateway (SIGTERM: it flushes its log and exits in about
    /// 2 s; SIGKILL after a bound). Returns whether all stopped on SIGTERM.
    fn stop_gateways(&mut self) -> bool {
        let mut clean = true;
        for child in &mut self.gateways {
            if child.try_wait().ok().flatten().is_none() {
                let _ = kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM);
            }
        }
        let deadline = Instant::now() + GATEWAY_STOP_TIMEOUT;
        for child in &mut self.gateways {
            while child.try_wait().ok().flatten().is_none() {
                if Instant::now() > deadline {
                    clean = false;
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        self.gateways.clear();
        clean
    }

    /// Runs the client script in the clients' namespace and returns one
    /// outcome per attempt.
    #[allow(clippy::too_many_arguments)]
    fn client(
        &self,
        tools: &Tools,
        script: &Path,
        port: u16,
        from: &str,
        kind: &str,
        secret: &str,
        count: usize,
        forwarded_for: Option<&str>,
    ) -> Vec<Value> {
        let url = format!("ws://{GATEWAY_ADDR}:{port}");
        let mut command = self.client_ns.command(&tools.node);
        command
            .arg(script)
            .args([&url, from, kind, secret, &count.to_string()]);
        if let Some(fwd) = forwarded_for {
            command.arg(fwd);
        }
        let mut child = command
            .env_clear()
            .env("CLAWGUARD_NPM_TOOLS", &tools.npm_tools)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the client");
        let deadline =
            Instant::now() + CLIENT_ATTEMPT_TIMEOUT * count as u32 + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for the client") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("client {kind} from {from} did not finish in time");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut stdout = String::new();
        let mut stderr = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert!(
            status.success(),
            "client {kind} from {from} failed: {stderr}"
        );
        let outcomes: Vec<Value> = stdout
            .lines()
            .map(|line| serde_json::from_str(line).expect("client prints JSON lines"))
            .collect();
        assert_eq!(outcomes.len(), count, "client {kind} from {from}: {stdout}");
        outcomes
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        self.stop_gateways();
        // Anything the gateways left behind in their namespace (the spawn
        // broker runs in its own process group) is ours: end it by pid.
        for ns in [&self.gateway_ns, &self.client_ns] {
            if let Ok(out) = Command::new("ip")
                .args(["netns", "pids", ns.name()])
                .output()
            {
                for pid in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                    if let Ok(pid) = pid.parse::<i32>() {
                        let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
                    }
                }
            }
        }
    }
}

/// Waits until the gateway logs `gateway ready` in its log file, or fails
/// with the tail of its output if it exits or takes too long.
fn wait_ready(child: &mut Child, dir: &Path, log: &Path) {
    let deadline = Instant::now() + GATEWAY_START_TIMEOUT;
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let ready = text.lines().any(|line| {
            serde_json::from_str::<Value>(line)
                .is_ok_and(|record| record["message"].as_str() == Some("gateway ready"))
        });
        if ready {
            return;
        }
        let exited = child.try_wait().ok().flatten();
        if exited.is_some() || Instant::now() > deadline {
            let out = std::fs::read_to_string(dir.join("stdout.log")).unwrap_or_default();
            let err = std::fs::read_to_string(dir.join("stderr.log")).unwrap_or_default();
            let tail = |s: &str| {
                s.chars()
                    .rev()
                    .take(3000)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<String>()
            };
            panic!(
                "gateway in {} not ready (exit: {exited:?})\nstdout: {}\nstderr: {}",
                dir.display(),
                tail(&out),
                tail(&err)
            );
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// Asserts every attempt was closed by the gateway with code 1008 and a
/// reason starting with `reason`.
fn assert_closed(outcomes: &[Value], reason: &str) {
    for outcome in outcomes {
        assert_eq!(outcome["outcome"], "closed", "{outcome}");
        assert_eq!(outcome["code"], 1008, "{outcome}");
        let text = outcome["reason"].as_str().unwrap_or_default();
        assert!(text.starts_with(reason), "expected {reason:?}: {outcome}");
    }
}

/// The time and message of every record that mentions `remote=<addr>`, for
/// failure reports.
fn messages_from(log: &str, addr: &str) -> String {
    let needle = if addr.is_empty() {
        "remote=".to_string()
    } else {
        format!("remote={addr} ")
    };
    log.lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|record| {
            let message = record["message"].as_str()?;
            message
                .contains(&needle)
                .then(|| format!("{} {message}", record["time"].as_str().unwrap_or("?")))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn epoch_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as u64
}

/// Failures per address, as the jail's filter counts them over a log file.
fn count_failures(log: &Path, trusted_proxies: &[IpNet]) -> BTreeMap<IpAddr, u32> {
    let mut filter = JailFilter::build(&FilterPlan::Gateway, trusted_proxies).unwrap();
    let mut per_addr = BTreeMap::new();
    let file = std::fs::File::open(log).unwrap();
    for_each_line(file, MAX_LINE_BYTES, |_, line, truncated| {
        for failure in filter.process(line, truncated, None, 0).failures {
            *per_addr.entry(failure.addr).or_insert(0) += failure.count;
        }
    })
    .unwrap();
    per_addr
}

#[test]
fn every_real_gateway_failure_counts_exactly_once() {
    let Some(tools) = tools() else { return };
    let temp = tempfile::tempdir().unwrap();
    let script = temp.path().join("ws-client.mjs");
    std::fs::write(&script, CLIENT_SCRIPT).unwrap();
    let (token_dir, password_dir) = (temp.path().join("token"), temp.path().join("password"));
    let (token_log, password_log) = (
        token_dir.join("gateway.log"),
        password_dir.join("gateway.log"),
    );

    let mut lab = Lab::create();
    lab.start_gateway(
        &tools,
        &token_dir,
        TOKEN_PORT,
        &["--auth", "token", "--token", TOKEN],
        &serde_json::json!({"logging": {"file": token_log}}),
    );
    lab.start_gateway(
        &tools,
        &password_dir,
        PASSWORD_PORT,
        &["--auth", "password", "--password", PASSWORD],
        &serde_json::json!({
            "logging": {"file": password_log},
            "gateway": {"trustedProxies": [PROXY]},
        }),
    );
    let started = Instant::now();
    wait_ready(&mut lab.gateways[0], &token_dir, &token_log);
    wait_ready(&mut lab.gateways[1], &password_dir, &password_log);
    eprintln!(
        "gateways ready after {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let client = |port, from, kind, secret, count, fwd| {
        lab.client(&tools, &script, port, from, kind, secret, count, fwd)
    };
    // Missing credentials first: the gateway logs the first and throttles the
    // rest for 30 s; one more after that carries ` suppressed=N`.
    let missing = "unauthorized: gateway token missing";
    let first_missing = client(TOKEN_PORT, MISSING_TOKEN, "none", "", 3, None);
    assert_closed(&first_missing, missing);
    let missing_pw = "unauthorized: gateway password missing";
    let first_missing_pw = client(PASSWORD_PORT, MISSING_PASSWORD, "none", "", 2, None);
    assert_closed(&first_missing_pw, missing_pw);
    let sent_at = |outcomes: &[Value]| -> Vec<u64> {
        outcomes
            .iter()
            .map(|o| o["sentAt"].as_u64().expect("sentAt"))
            .collect()
    };
    let mut throttle_start_ms = 0;
    for times in [sent_at(&first_missing), sent_at(&first_missing_pw)] {
        // All of a kind's first attempts must fall in its first window.
        assert!(
            times[times.len() - 1] - times[0] < 20_000,
            "the first missing-credential attempts took too long: {times:?}"
        );
        throttle_start_ms = throttle_start_ms.max(times[0]);
    }
    let mismatch = "unauthorized: gateway token mismatch";
    assert_closed(
        &client(TOKEN_PORT, WRONG_TOKEN, "token", "WRONG", 3, None),
        mismatch,
    );

    // The gateway's own lockout: 10 failures in 60 s, then `rate_limited`.
    let lockout = client(TOKEN_PORT, LOCKOUT, "token", "WRONG", 12, None);
    assert_closed(&lockout[..10], mismatch);
    assert_closed(
        &lockout[10..],
        "unauthorized: too many failed authentication attempts",
    );

    let bad_signature = client(TOKEN_PORT, BAD_SIGNATURE, "badsig", "", 1, None);
    assert_closed(&bad_signature, "device signature invalid");

    let pw_mismatch = "unauthorized: gateway password mismatch";
    assert_closed(
        &client(PASSWORD_PORT, WRONG_PASSWORD, "password", "WRONG", 2, None),
        pw_mismatch,
    );

    // Through the trusted proxy: only a well-formed forwarded list names a client.
    for fwd in [
        "198.51.100.8",
        "198.51.100.7, 127.0.0.1",
        "198.51.100.9, garbage",
    ] {
        let outcomes = client(PASSWORD_PORT, PROXY, "password", "WRONG", 1, Some(fwd));
        assert_closed(&outcomes, pw_mismatch);
    }

    // After the throttle window (timed from when the first attempt was sent,
    // not from when its node process started): one more of each.
    let window_end_ms = throttle_start_ms + THROTTLE_WINDOW.as_millis() as u64;
    if let Some(rest) = window_end_ms.checked_sub(epoch_ms()) {
        std::thread::sleep(Duration::from_millis(rest));
    }
    assert_closed(
        &client(TOKEN_PORT, MISSING_TOKEN, "none", "", 1, None),
        missing,
    );
    assert_closed(
        &client(PASSWORD_PORT, MISSING_PASSWORD, "none", "", 1, None),
        missing_pw,
    );

    // A clean stop flushes the gateway's queued log writes.
    assert!(lab.stop_gateways(), "a gateway did not stop on SIGTERM");

    let token_text = std::fs::read_to_string(&token_log).unwrap();
    let password_text = std::fs::read_to_string(&password_log).unwrap();
    // The formats this test is about were really produced.
    assert!(token_text.contains(" reason=token_mismatch guidance="));
    assert!(token_text.contains(" reason=rate_limited guidance="));
    assert!(token_text.contains("\"authReason\":\"token_mismatch\""));
    assert!(
        token_text.contains("gateway.auth.token) suppressed=2\""),
        "the gateway did not throttle the missing-token lines as expected:\n{}",
        messages_from(&token_text, MISSING_TOKEN)
    );
    assert!(password_text.contains(" reason=password_missing guidance="));
    assert!(
        password_text.contains("gateway.auth.password) suppressed=1\""),
        "the gateway did not throttle the missing-password lines as expected:\n{}",
        messages_from(&password_text, MISSING_PASSWORD)
    );
    assert!(password_text.contains("\"forwardedFor\":\"198.51.100.7, 127.0.0.1\""));

    let proxies: Vec<IpNet> = vec![format!("{PROXY}/32").parse().unwrap()];
    let mut counted = count_failures(&token_log, &proxies);
    for (addr, n) in count_failures(&password_log, &proxies) {
        *counted.entry(addr).or_insert(0) += n;
    }
    let ip = |s: &str| s.parse::<IpAddr>().unwrap();
    // Exactly what was sent, per address.
    let expected: BTreeMap<IpAddr, u32> = [
        (ip(WRONG_TOKEN), 3),
        (ip(MISSING_TOKEN), 3 + 1),
        (ip(LOCKOUT), 12),
        (ip(BAD_SIGNATURE), 1),
        (ip(WRONG_PASSWORD), 2),
        (ip(MISSING_PASSWORD), 2 + 1),
        (ip("198.51.100.8"), 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        counted,
        expected,
        "token log:\n{}\npassword log:\n{}",
        messages_from(&token_text, ""),
        messages_from(&password_text, "")
    );
}
