//! Log rules (`[alert.log_rule.NAME]`, issue 10): regexes over the ban
//! engine's log sources. They are compiled with the jails (errors name the
//! rule), read lines through the jails' sources (a file named by a jail and
//! a rule is read by one source), and each matching line is one
//! `LogMatched` event in the journal, also when lines are read again after
//! their read positions were lost.

use std::path::Path;
use std::time::{Duration, Instant};

use clawguard_config::Config;
use clawguard_event::{EventKind, Severity};
use clawguard_jails::log_rules::{self, MAX_EVENT_LINE_BYTES, MAX_MATCH_BYTES, TextOf};
use clawguard_jails::runtime::{self, Options, StartupReport};
use clawguard_journal::{Journal, Retention, WriterFaults};
use tokio::sync::{mpsc, oneshot, watch};

const BUILTIN_RULES: [&str; 4] = [
    "openclaw-device-upgrade",
    "openclaw-pairing-auto-approved",
    "openclaw-untrusted-proxy-headers",
    "openclaw-dangerous-config",
];

/// A config with no fail2ban import and the built-in jails off; `body`
/// follows.
fn config_text(dir: &Path, body: &str) -> String {
    format!(
        "version = 1\n[fail2ban]\ndir = \"{}\"\n[jail.sshd]\nenabled = false\nfilter = \"sshd\"\n\
         [jail.openclaw-gateway]\nenabled = false\nfilter = \"openclaw-gateway\"\n{body}",
        dir.join("no-fail2ban").display()
    )
}

/// The built-in OpenClaw rules off (they would read the host's /tmp/openclaw).
fn builtin_rules_off() -> String {
    BUILTIN_RULES
        .iter()
        .map(|name| format!("[alert.log_rule.{name}]\nenabled = false\n"))
        .collect()
}

fn parse(dir: &Path, text: &str) -> Config {
    Config::parse(text, &dir.join("clawguard.toml")).expect("config parses")
}

fn build_error(dir: &Path, body: &str) -> String {
    match runtime::build(parse(dir, &config_text(dir, body))) {
        Ok(_) => panic!("built: {body}"),
        Err(e) => e.to_string(),
    }
}

/// The ban engine's runtime on a thread of its own (detect-only), with a
/// real journal writer in `state`.
struct Running {
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
    writer: Option<clawguard_journal::Writer>,
    report: StartupReport,
    control: mpsc::Sender<runtime::Control>,
}

impl Running {
    fn start(state: &Path, config: Config) -> Running {
        let build = runtime::build(config).expect("config builds");
        std::fs::create_dir_all(state).unwrap();
        let (bus, writer) = clawguard_journal::start(
            state,
            "test-host",
            Retention::default(),
            Vec::new(),
            WriterFaults::default(),
        )
        .unwrap();
        let (stop, stop_rx) = watch::channel(false);
        let (ready_tx, mut ready_rx) = oneshot::channel();
        let (control, control_rx) = mpsc::channel(1);
        let options = Options {
            state_dir: state.to_path_buf(),
            enforce: false,
            sources_runtime: None,
        };
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(runtime::run(
                build, options, bus, control_rx, stop_rx, ready_tx,
            ))
            .map_err(|e| e.to_string())
        });
        let start = Instant::now();
        let report = loop {
            match ready_rx.try_recv() {
                Ok(report) => break report,
                Err(oneshot::error::TryRecvError::Empty) if start.elapsed() < TIMEOUT => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Err(e) => panic!("the runtime did not start: {e:?}"),
            }
        };
        Running {
            stop,
            thread: Some(thread),
            writer: Some(writer),
            report,
            control,
        }
    }

    /// A clean stop: the runtime drains its events and saves positions.
    fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            thread
                .join()
                .unwrap()
                .expect("the runtime ran without error");
        }
        if let Some(writer) = self.writer.take() {
            assert!(writer.join());
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

const TIMEOUT: Duration = Duration::from_secs(15);

/// Every event in the journal of `state`.
fn journal_events(state: &Path) -> Vec<EventKind> {
    let Ok(journal) = Journal::open_existing(state) else {
        return Vec::new();
    };
    journal
        .read_after(0, 10_000, None)
        .unwrap()
        .into_iter()
        .map(|r| r.event.kind)
        .collect()
}

/// (rule, source, severity, line) of every `LogMatched` event.
fn log_matches(state: &Path) -> Vec<(String, String, Severity, String)> {
    journal_events(state)
        .into_iter()
        .filter_map(|kind| match kind {
            EventKind::LogMatched {
                rule,
                source,
                severity,
                line,
            } => Some((rule, source, severity, line)),
            _ => None,
        })
        .collect()
}

#[track_caller]
fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < TIMEOUT {
        if ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

// ---- pure ----------------------------------------------------------------

#[test]
fn a_regex_that_does_not_compile_names_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    // Valid syntax, but far past the compiled size limit.
    let body = format!(
        "{}[alert.log_rule.too-big]\nlogpath = [\"/var/log/x.log\"]\nregex = ['(?:\\w{{100}}){{100}}']\n",
        builtin_rules_off()
    );
    let error = build_error(dir.path(), &body);
    assert!(
        error.contains("log rule too-big") && error.contains("regex"),
        "{error}"
    );

    let body = format!(
        "{}[alert.log_rule.bad-ignore]\nlogpath = [\"/var/log/x.log\"]\nregex = ['x']\n\
         ignoreregex = ['(?:\\w{{100}}){{100}}']\n",
        builtin_rules_off()
    );
    let error = build_error(dir.path(), &body);
    assert!(
        error.contains("log rule bad-ignore") && error.contains("ignoreregex"),
        "{error}"
    );

    // Bad syntax is caught when the config is read, naming file and key.
    let text = config_text(
        dir.path(),
        "[alert.log_rule.broken]\nlogpath = [\"/var/log/x.log\"]\nregex = ['(unclosed']\n",
    );
    let error = Config::parse(&text, &dir.path().join("clawguard.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("alert.log_rule.broken.regex") && error.contains("clawguard.toml"),
        "{error}"
    );
}

#[test]
fn a_bad_source_names_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{}[alert.log_rule.relative]\nbackend = \"files\"\nlogpath = [\"var/log/x.log\"]\nregex = ['x']\n",
        builtin_rules_off()
    );
    let error = build_error(dir.path(), &body);
    assert!(
        error.contains("log rule relative") && error.contains("not absolute"),
        "{error}"
    );
}

#[test]
fn a_rule_without_a_source_for_its_backend_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    for (rule, key) in [
        ("backend = \"systemd\"", "alert.log_rule.r.journalmatch"),
        (
            "backend = \"files\"\njournalmatch = \"_COMM=x\"",
            "alert.log_rule.r.logpath",
        ),
        (
            "backend = \"openclaw\"\njournalmatch = \"_COMM=x\"",
            "alert.log_rule.r.logpath",
        ),
        ("", "alert.log_rule.r.logpath"),
    ] {
        let text = config_text(
            dir.path(),
            &format!("[alert.log_rule.r]\n{rule}\nregex = ['x']\n"),
        );
        let error = Config::parse(&text, &dir.path().join("clawguard.toml"))
            .unwrap_err()
            .to_string();
        assert!(error.contains(key), "{rule}: {error}");
    }
    // With the keys their backend reads, they are fine.
    for rule in [
        "backend = \"systemd\"\njournalmatch = \"_COMM=x\"",
        "journalmatch = \"_COMM=x\"",
        "backend = \"files\"\nlogpath = [\"/var/log/x.log\"]",
    ] {
        let text = config_text(
            dir.path(),
            &format!("[alert.log_rule.r]\n{rule}\nregex = ['x']\n"),
        );
        runtime::build(parse(dir.path(), &text)).unwrap();
    }
}

#[test]
fn disabled_alerting_runs_no_rules() {
    let dir = tempfile::tempdir().unwrap();
    let body = "[alert.log_rule.app]\nlogpath = [\"/var/log/app.log\"]\nregex = ['x']\n";
    let build = runtime::build(parse(dir.path(), &config_text(dir.path(), body))).unwrap();
    // The four built-in rules and this one.
    assert_eq!(build.log_rules.len(), 5);
    let off = format!("[alert]\nenabled = false\n{body}");
    let build = runtime::build(parse(dir.path(), &config_text(dir.path(), &off))).unwrap();
    assert!(build.log_rules.is_empty());
}

#[test]
fn ignoreregex_vetoes_a_match() {
    let dir = tempfile::tempdir().unwrap();
    let body = format!(
        "{}[alert.log_rule.app]\nlogpath = [\"/var/log/app.log\"]\n\
         regex = ['error', 'denied']\nignoreregex = ['harmless', 'test-probe']\n",
        builtin_rules_off()
    );
    let build = runtime::build(parse(dir.path(), &config_text(dir.path(), &body))).unwrap();
    let rule = &build.log_rules[0];
    assert_eq!(rule.name, "app");
    assert_eq!(rule.severity, Severity::Medium);
    assert!(rule.is_match("disk error on sda"));
    assert!(rule.is_match("access denied for bob"));
    assert!(!rule.is_match("harmless error"));
    assert!(!rule.is_match("denied by test-probe"));
    assert!(!rule.is_match("all fine"));
}

#[test]
fn event_lines_are_cut_at_a_character_boundary_and_cleaned() {
    // 'é' is two bytes: 2,000 of them are 4,000 bytes; one ASCII byte in
    // front puts the 2 KiB bound in the middle of a character.
    let text = format!("a{}", "é".repeat(2000));
    let line = log_rules::event_line(&text);
    assert_eq!(line.len(), MAX_EVENT_LINE_BYTES - 1);
    assert!(text.starts_with(&line));
    let text = "€".repeat(1000); // three bytes each
    let line = log_rules::event_line(&text);
    assert!(line.len() <= MAX_EVENT_LINE_BYTES && line.len() > MAX_EVENT_LINE_BYTES - 3);
    assert!(line.chars().all(|c| c == '€'));

    // Terminal escapes, carriage returns and NULs do not reach a sink; tabs stay.
    assert_eq!(
        log_rules::event_line("a\u{1b}[31mb\tc\r\0d\u{85}"),
        "a\u{fffd}[31mb\tc\u{fffd}\u{fffd}d\u{fffd}"
    );
    assert_eq!(log_rules::event_line("short"), "short");
}

#[test]
fn matching_sees_at_most_the_jails_line_cap() {
    let long = format!("{}MARK", "é".repeat(MAX_MATCH_BYTES));
    let text = log_rules::match_text(long.as_bytes(), TextOf::Line);
    assert!(text.len() <= MAX_MATCH_BYTES && text.len() > MAX_MATCH_BYTES - 2);
    assert!(!text.contains("MARK"));
    // Invalid UTF-8 is matched lossily, never rejected.
    let text = log_rules::match_text(b"bad \xff byte", TextOf::Line);
    assert_eq!(text, "bad \u{fffd} byte");
    // A gateway record's message, however long, is cut the same way.
    let record = serde_json::json!({"0": "{\"subsystem\":\"gateway\"}", "1": long}).to_string();
    let text = log_rules::match_text(record.as_bytes(), TextOf::OpenclawMessage);
    assert!(text.len() <= MAX_MATCH_BYTES && text.starts_with('é'));
}

#[test]
fn a_gateway_record_is_matched_on_its_message_text() {
    let tslog = br#"{"0":"{\"subsystem\":\"gateway\"}","1":{"remoteAddr":"203.0.113.9"},"2":"device pairing auto-approved device=d1 role=operator","_meta":{"date":"2026-12-07T06:30:00.000Z","logLevelName":"INFO"},"time":"2026-12-07T06:30:00.000+00:00"}"#;
    assert_eq!(
        log_rules::openclaw_message(tslog).as_deref(),
        Some("device pairing auto-approved device=d1 role=operator")
    );
    let flattened = br#"{"0":"{\"subsystem\":\"gateway\"}","1":"x","message":"the flattened text","hostname":"gw"}"#;
    assert_eq!(
        log_rules::openclaw_message(flattened).as_deref(),
        Some("the flattened text")
    );
    // Not JSON: matched as the line it is.
    assert_eq!(
        log_rules::openclaw_message(b"12:00:01 [gateway] hello"),
        None
    );
    assert_eq!(
        log_rules::match_text(b"12:00:01 [gateway] hello", TextOf::OpenclawMessage),
        "12:00:01 [gateway] hello"
    );
}

// ---- a file source shared with a jail -----------------------------------

#[test]
fn a_rule_on_a_jails_file_reads_it_through_the_same_source() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let log = dir.path().join("app.log");
    let other = dir.path().join("other.log");
    std::fs::write(&log, "").unwrap();
    std::fs::write(&other, "").unwrap();
    let filter = dir.path().join("app.conf");
    std::fs::write(
        &filter,
        "[Definition]\nfailregex = ^fail <HOST>$\ndatepattern = {NONE}\n",
    )
    .unwrap();
    let body = format!(
        "{off}[jail.app]\nfilter = \"{filter}\"\nbackend = \"files\"\nlogpath = [\"{log}\"]\nmaxretry = 2\n\
         [alert.log_rule.app-fail]\nbackend = \"files\"\nlogpath = [\"{log}\"]\nseverity = \"high\"\n\
         regex = ['^fail ']\nignoreregex = ['198\\.51\\.100\\.']\n\
         [alert.log_rule.other]\nlogpath = [\"{other}\"]\nregex = ['boom']\n",
        off = builtin_rules_off(),
        filter = filter.display(),
        log = log.display(),
        other = other.display(),
    );
    let config = parse(dir.path(), &config_text(dir.path(), &body));

    let running = Running::start(&state, config.clone());
    // app.log (the jail and app-fail) and other.log: two sources. A rule
    // with a reader of its own would make it three.
    assert_eq!(
        running.report.sources, 2,
        "one source per file: {:?}",
        running.report
    );
    assert_eq!((running.report.jails, running.report.log_rules), (1, 2));

    append(
        &log,
        "fail 192.0.2.7\nhello\nfail 198.51.100.9\nfail 192.0.2.7\nfail 192.0.2.7\n",
    );
    append(&other, "boom 1\n");
    // Past the reader's 64 KiB cap: delivered cut, still matched, carried
    // in at most 2 KiB.
    append(&log, &format!("fail {}\n", "é".repeat(50_000)));
    wait_for("five LogMatched events", || log_matches(&state).len() >= 5);
    wait_for("the ban of 192.0.2.7", || {
        journal_events(&state).iter().any(|k| {
            matches!(k, EventKind::Banned { jail, target, .. }
                if jail == "app" && target.to_string() == "192.0.2.7/32")
        })
    });
    let matches = log_matches(&state);
    let log_source = log.display().to_string();
    let app: Vec<_> = matches.iter().filter(|m| m.0 == "app-fail").collect();
    assert_eq!(app.len(), 4, "{matches:?}");
    for m in &app[..3] {
        assert_eq!(
            (m.1.as_str(), m.2, m.3.as_str()),
            (log_source.as_str(), Severity::High, "fail 192.0.2.7")
        );
    }
    let long = &app[3].3;
    assert!(long.starts_with("fail é") && long.len() <= MAX_EVENT_LINE_BYTES && long.len() > 2000);
    let others: Vec<_> = matches.iter().filter(|m| m.0 == "other").collect();
    assert_eq!(others.len(), 1, "{matches:?}");
    assert_eq!(
        (others[0].1.as_str(), others[0].2, others[0].3.as_str()),
        (
            other.display().to_string().as_str(),
            Severity::Medium,
            "boom 1"
        )
    );
    running.stop();

    // The state database lost (the crash window: events committed, read
    // positions not yet saved): the lines are read again from the start,
    // and no line makes a second event.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(state.join(format!("{}{suffix}", clawguard_state::DB_FILE)));
    }
    let running = Running::start(&state, config);
    append(&log, "fail 203.0.113.1\n");
    wait_for("the new line's event", || {
        log_matches(&state)
            .iter()
            .any(|m| m.3 == "fail 203.0.113.1")
    });
    // The replayed lines were read before the new one (one reader, in order).
    let matches = log_matches(&state);
    let app = matches.iter().filter(|m| m.0 == "app-fail").count();
    let others = matches.iter().filter(|m| m.0 == "other").count();
    assert_eq!((app, others), (5, 1), "{matches:?}");
    running.stop();
}

#[test]
fn rules_are_swapped_on_reload() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let log = dir.path().join("app.log");
    std::fs::write(&log, "").unwrap();
    let rule = |regex: &str| {
        let body = format!(
            "{}[alert.log_rule.app]\nlogpath = [\"{}\"]\nregex = ['{regex}']\n",
            builtin_rules_off(),
            log.display()
        );
        parse(dir.path(), &config_text(dir.path(), &body))
    };
    let running = Running::start(&state, rule("^alpha"));
    append(&log, "alpha 1\nbeta 1\n");
    wait_for("the alpha line", || log_matches(&state).len() == 1);

    let (reply_tx, reply_rx) = oneshot::channel();
    let build = runtime::build(rule("^beta")).unwrap();
    running
        .control
        .blocking_send(runtime::Control::Reload(Box::new(build), reply_tx))
        .unwrap();
    reply_rx.blocking_recv().unwrap().expect("reloaded");
    // Lines read before the reload are not read again.
    append(&log, "alpha 2\nbeta 2\n");
    wait_for("the beta line", || log_matches(&state).len() == 2);
    std::thread::sleep(Duration::from_millis(300));
    running.stop();
    let lines: Vec<String> = log_matches(&state).into_iter().map(|m| m.3).collect();
    assert_eq!(lines, ["alpha 1", "beta 2"]);
}

// ---- the built-in OpenClaw rules on the gateway's JSON log ---------------

/// A gateway log record as tslog writes it: binding, optional context,
/// message.
fn record(
    subsystem: &str,
    level: &str,
    context: Option<serde_json::Value>,
    message: &str,
) -> String {
    let mut record = serde_json::Map::new();
    record.insert(
        "0".into(),
        serde_json::Value::String(format!("{{\"subsystem\":\"{subsystem}\"}}")),
    );
    let mut next = 1;
    if let Some(context) = context {
        record.insert("1".into(), context);
        next = 2;
    }
    record.insert(next.to_string(), message.into());
    record.insert(
        "_meta".into(),
        serde_json::json!({"date": "2026-12-07T06:30:00.000Z", "logLevelName": level, "name": "openclaw"}),
    );
    record.insert("time".into(), "2026-12-07T06:30:00.000+00:00".into());
    serde_json::Value::Object(record).to_string()
}

#[test]
fn builtin_openclaw_rules_match_the_gateways_security_lines_only() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let logs = dir.path().join("openclaw");
    std::fs::create_dir(&logs).unwrap();
    let log = logs.join("openclaw-2026-12-07.log");
    std::fs::write(&log, "").unwrap();
    // The gateway jail and the four built-in rules, all on this directory.
    let overrides: String = BUILTIN_RULES
        .iter()
        .map(|name| {
            format!(
                "[alert.log_rule.{name}]\nlogpath = [\"{}\"]\n",
                logs.display()
            )
        })
        .collect();
    let text = format!(
        "version = 1\n[fail2ban]\ndir = \"{nodir}\"\n[jail.sshd]\nenabled = false\nfilter = \"sshd\"\n\
         [jail.openclaw-gateway]\nfilter = \"openclaw-gateway\"\nbackend = \"openclaw\"\n\
         logpath = [\"{logs}\"]\n{overrides}",
        nodir = dir.path().join("no-fail2ban").display(),
        logs = logs.display(),
    );
    let running = Running::start(&state, parse(dir.path(), &text));
    assert_eq!(
        (running.report.sources, running.report.log_rules),
        (1, 4),
        "the jail and the four rules share one reader: {:?}",
        running.report
    );

    // The lines of /work/shared/reference/openclaw.md, as the gateway logs them.
    let upgrade = "security audit: device access upgrade requested reason=scope-upgrade device=dev-1 \
                   ip=203.0.113.9 auth=token roleFrom=operator roleTo=operator \
                   scopesFrom=operator.read scopesTo=operator.admin client=cli conn=c-1";
    let pairing = "device pairing auto-approved device=dev-2 role=operator";
    let proxy = "Proxy headers detected from untrusted address. Connection will not be treated as \
                 local. Configure gateway.trustedProxies to restore local client detection behind \
                 your proxy.";
    let dangerous = "security warning: dangerous config flags enabled: \
                     gateway.controlUi.dangerouslyDisableDeviceAuth=true. Run `openclaw security audit`.";
    // The real openclaw@2026.9.6 says it differently; this record is
    // verbatim from its log file, after a request with X-Forwarded-For from
    // an address not in gateway.trustedProxies.
    let real_proxy = "gateway: observed unattributable proxy-shaped traffic from 127.0.0.1; \
                      Gateway-authenticated routes reject it, while plugin-authenticated routes \
                      ignore forwarded claims. Configure gateway.trustedProxies narrowly and make \
                      the proxy overwrite or safely rebuild forwarded client headers.";
    let real_proxy_record = serde_json::json!({
        "0": "{\"subsystem\":\"gateway\"}", "1": real_proxy,
        "_meta": {"runtime": "node", "runtimeVersion": "24.19.0", "hostname": "vm",
                  "date": "2026-12-07T06:57:09.573Z", "logLevelId": 4, "logLevelName": "WARN",
                  "name": "{\"subsystem\":\"gateway\"}", "parentNames": ["openclaw"]},
        "time": "2026-12-07T06:57:09.573+00:00", "hostname": "vm", "message": real_proxy,
        "traceId": "96f808fc067069a60ac328bd060c1acc", "spanId": "8da2c9d7ef0199a5",
        "traceFlags": "01"
    })
    .to_string();
    let mut lines =
        vec![
        record("gateway", "WARN", None, upgrade),
        real_proxy_record,
        record("gateway", "INFO", Some(serde_json::json!({"deviceId": "dev-2"})), pairing),
        record("gateway/ws", "WARN", None, proxy),
        // Newer builds: a top-level flattened `message` besides the arguments.
        serde_json::json!({
            "0": "{\"subsystem\":\"gateway\"}", "1": dangerous, "message": dangerous,
            "hostname": "gw", "_meta": {"date": "2026-12-07T06:30:00.000Z", "logLevelName": "WARN"},
            "time": "2026-12-07T06:30:00.000+00:00"
        })
        .to_string(),
    ];
    // Ordinary lines, and the rules' texts where a client or another field
    // put them: no alert.
    lines.extend([
        record("gateway", "INFO", None, "listening on ws://127.0.0.1:18789 (PID 4242)"),
        record(
            "gateway/ws",
            "WARN",
            None,
            "unauthorized conn=c-9 remote=203.0.113.7 client=cli cli v2026.9.6 \
             ua=device pairing auto-approved device=evil reason=token_mismatch",
        ),
        record(
            "gateway/ws",
            "WARN",
            Some(serde_json::json!({"note": "security warning: dangerous config flags enabled"})),
            "handshake timeout conn=c-10 remote=198.51.100.4",
        ),
        record("gateway", "INFO", None, "device pairing requested device=dev-3 role=operator"),
        record(
            "gateway",
            "WARN",
            None,
            "security audit: device access upgrade requested reason=new-device device=dev-4",
        ),
        // The end marker: an ordinary line the test waits for through the jail.
        record("gateway/ws", "WARN", None, "closed before connect conn=c-11 remote=203.0.113.8 fwd=n/a origin=n/a host=n/a ua=n/a code=1008 reason=token_mismatch"),
    ]);
    let mut text = lines.join("\n");
    text.push('\n');
    append(&log, &text);
    wait_for("five LogMatched events", || log_matches(&state).len() >= 5);
    // Give a wrong fifth event time to show up.
    std::thread::sleep(Duration::from_millis(500));
    running.stop();
    let mut matches = log_matches(&state);
    matches.sort();
    let source = log.display().to_string();
    let expected = vec![
        ("openclaw-dangerous-config", Severity::High, dangerous),
        ("openclaw-device-upgrade", Severity::High, upgrade),
        ("openclaw-pairing-auto-approved", Severity::Medium, pairing),
        ("openclaw-untrusted-proxy-headers", Severity::Medium, proxy),
        (
            "openclaw-untrusted-proxy-headers",
            Severity::Medium,
            real_proxy,
        ),
    ];
    let got: Vec<(&str, Severity, &str)> = matches
        .iter()
        .map(|m| {
            assert_eq!(m.1, source);
            (m.0.as_str(), m.2, m.3.as_str())
        })
        .collect();
    assert_eq!(got, expected);
}

// ---- the systemd journal --------------------------------------------------

/// Set in the copy of this test that runs inside its own mount namespace:
/// the directory bind-mounted over /var/log/journal there.
const JOURNAL_DIR_ENV: &str = "CLAWGUARD_TEST_LOG_RULE_JOURNAL";

/// The journal source runs `journalctl` on the system journal, so the test
/// gives it one it controls: the test runs itself again under `unshare -m`
/// with a temp directory bind-mounted over /var/log/journal (a private
/// mount namespace: the host's mounts never change), and writes entries
/// there with `systemd-journal-remote`.
#[test]
fn a_rule_on_the_journal_shares_the_jails_journal_source() {
    if let Ok(dir) = std::env::var(JOURNAL_DIR_ENV) {
        journal_rule_inside_namespace(Path::new(&dir));
        return;
    }
    if !clawguard_testkit::require_root("a private mount namespace for the system journal")
        || !clawguard_testkit::journal::tools_available()
        || !clawguard_testkit::require_installed(&["unshare", "mount"])
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c"])
        // Paths arrive as arguments, never as shell text. Without a
        // /var/log/journal, a tmpfs over /var/log (in this namespace only)
        // gets one.
        .arg(
            r#"{ [ -d /var/log/journal ] || { mount -t tmpfs tmpfs /var/log && mkdir /var/log/journal; }; } && mount --bind "$1" /var/log/journal && shift && exec "$@""#,
        )
        .arg("sh")
        .arg(dir.path())
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_rule_on_the_journal_shares_the_jails_journal_source",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(JOURNAL_DIR_ENV, dir.path())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the namespaced run failed:\n{text}");
    assert!(
        text.contains("1 passed"),
        "the namespaced run did not run the test:\n{text}"
    );
}

fn journal_rule_inside_namespace(dir: &Path) {
    use clawguard_testkit::journal::Export;
    // journalctl --follow shows the current boot only, and local journals
    // live under the machine id.
    let machine_id = std::fs::read_to_string("/etc/machine-id").unwrap();
    let boot_id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .unwrap()
        .trim()
        .replace('-', "");
    let journal_dir = dir.join(machine_id.trim());
    std::fs::create_dir_all(&journal_dir).unwrap();
    let journal = journal_dir.join("system.journal");
    let monotonic = std::sync::atomic::AtomicU64::new(1);
    let write = |messages: &[&str]| {
        let mut export = Export::default();
        for message in messages {
            let now_us = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_micros();
            export
                .field("__REALTIME_TIMESTAMP", now_us)
                .field(
                    "__MONOTONIC_TIMESTAMP",
                    monotonic.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                )
                .field("_BOOT_ID", &boot_id)
                .field("_HOSTNAME", "gw1")
                .field("_COMM", "cg-rule-test")
                .field("SYSLOG_IDENTIFIER", "cg-rule-test")
                .field("_PID", 42)
                .field("MESSAGE", message)
                .end_entry();
        }
        export.write_to(&journal);
    };
    write(&["started"]);

    let state = dir.join("state");
    let filter = dir.join("app.conf");
    std::fs::write(
        &filter,
        "[Definition]\nfailregex = ^\\S+ cg-rule-test\\[\\d+\\]: fail <HOST>$\ndatepattern = {NONE}\n",
    )
    .unwrap();
    let body = format!(
        "{off}[jail.app]\nfilter = \"{filter}\"\nbackend = \"systemd\"\n\
         journalmatch = \"_COMM=cg-rule-test\"\nmaxretry = 2\n\
         [alert.log_rule.journal-fail]\nbackend = \"systemd\"\njournalmatch = \"_COMM=cg-rule-test\"\n\
         severity = \"critical\"\nregex = [': fail ']\n",
        off = builtin_rules_off(),
        filter = filter.display(),
    );
    let running = Running::start(&state, parse(dir, &config_text(dir, &body)));
    assert_eq!(
        (running.report.sources, running.report.log_rules),
        (1, 1),
        "the rule and the jail read one journal source: {:?}",
        running.report
    );
    write(&["fail 192.0.2.7", "hello", "fail 192.0.2.7"]);
    wait_for("two LogMatched events from the journal", || {
        log_matches(&state).len() >= 2
    });
    wait_for("the ban of 192.0.2.7", || {
        journal_events(&state).iter().any(|k| {
            matches!(k, EventKind::Banned { jail, target, .. }
                if jail == "app" && target.to_string() == "192.0.2.7/32")
        })
    });
    std::thread::sleep(Duration::from_millis(300));
    running.stop();
    let matches = log_matches(&state);
    let expected = (
        "journal-fail".to_string(),
        "journal".to_string(),
        Severity::Critical,
        "gw1 cg-rule-test[42]: fail 192.0.2.7".to_string(),
    );
    assert_eq!(matches, vec![expected.clone(), expected]);
}
