//! The email and syslog sinks against real servers on 127.0.0.1: Debian's
//! aiosmtpd (python3-aiosmtpd, `tests/smtp_server.py`) and rsyslogd (UDP, TCP,
//! and TLS with rsyslog-gnutls), each started by the test and killed on drop,
//! plus a TLS listener and a unix datagram socket in the test. A missing server skips with the reason, or
//! fails when CLAWGUARD_REQUIRE_PRIVILEGED=1.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clawguard_alert::sink::syslog::{MAX_UDP_BYTES, messages};
use clawguard_alert::sink::{Outcome, Sink};
use clawguard_alert::{AlertLine, Notification};
use clawguard_config::{SinkConfig, SinkType, SmtpTls, SyslogTransport};
use clawguard_event::{Engine, Severity};
use clawguard_testkit::skip_or_fail;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PYTHON: &str = "/usr/bin/python3";
const RSYSLOGD: &str = "/usr/sbin/rsyslogd";
const GTLS_DRIVER: &str = "/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so";

/// A child process killed (and reaped) when the test ends, however it ends.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn alert(kind: &str, severity: Severity, count: u64, summary: &str) -> AlertLine {
    AlertLine {
        fingerprint: "0123456789abcdef".into(),
        kind: kind.into(),
        engine: Engine::Ban,
        severity,
        summary: summary.into(),
        labels: BTreeMap::from([
            ("jail".to_string(), "sshd".to_string()),
            ("target".to_string(), "192.0.2.7".to_string()),
        ]),
        count,
        first_ms: 1_796_626_350_000,
        last_ms: 1_796_626_400_000,
        repeat: false,
        samples: vec!["Failed password for root from 192.0.2.7 port 22".into()],
    }
}

fn notification() -> Notification {
    Notification {
        id: 42,
        sink: "test".into(),
        group_key: "engine=ban,kind=banned".into(),
        group_labels: BTreeMap::new(),
        severity: Severity::High,
        host: "gw1.example".into(),
        created_ms: 1_796_626_410_123,
        alerts: vec![
            alert("banned", Severity::High, 12, "banned 192.0.2.7 in sshd"),
            alert(
                "banned",
                Severity::Medium,
                3,
                "banned 198.51.100.9 in sshd — é",
            ),
        ],
        omitted_alerts: 4,
        events: 30,
        first_ms: 1_796_626_350_000,
        last_ms: 1_796_626_400_000,
        test: false,
    }
}

fn sink_config(kind: SinkType) -> SinkConfig {
    let mut config = SinkConfig::journal("test");
    config.kind = kind;
    config.timeout = clawguard_config::Seconds(5);
    config
}

struct Pki {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

/// A CA and a certificate for 127.0.0.1 and localhost signed by it, written
/// as PEM into `dir`: (ca.pem, cert.pem, key.pem).
fn test_pki(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let paths = (
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    );
    std::fs::write(&paths.0, ca.as_ref().pem()).unwrap();
    std::fs::write(&paths.1, leaf.pem()).unwrap();
    std::fs::write(&paths.2, leaf_key.serialize_pem()).unwrap();
    paths
}

/// Wait (bounded) until `ready` returns something.
async fn wait_for<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = ready() {
            return v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---------------------------------------------------------------- SMTP

struct Smtp {
    _child: KillOnDrop,
    port: u16,
    dir: PathBuf,
}

/// aiosmtpd with `args`, saving into `dir`; `None` (reason printed) when
/// python3-aiosmtpd is missing.
fn start_smtp(dir: &Path, args: &[&str]) -> Option<Smtp> {
    let has_aiosmtpd = Command::new(PYTHON)
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_aiosmtpd {
        skip_or_fail(format!(
            "{PYTHON} cannot import aiosmtpd (apt-get install python3-aiosmtpd)"
        ));
        return None;
    }
    let mail = dir.join("mail");
    std::fs::create_dir_all(&mail).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_server.py");
    let mut child = Command::new(PYTHON)
        .arg(script)
        .arg("--dir")
        .arg(&mail)
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start aiosmtpd");
    let stdout = child.stdout.take().unwrap();
    let child = KillOnDrop(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(15))
        .expect("aiosmtpd did not say its port");
    let port = line
        .trim()
        .strip_prefix("PORT ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("aiosmtpd said {line:?}"));
    Some(Smtp {
        _child: child,
        port,
        dir: mail,
    })
}

impl Smtp {
    fn saved(&self) -> Vec<(String, serde_json::Value)> {
        let mut out = Vec::new();
        for n in 1.. {
            let eml = self.dir.join(format!("{n}.eml"));
            let Ok(text) = std::fs::read_to_string(&eml) else {
                break;
            };
            let meta = std::fs::read_to_string(self.dir.join(format!("{n}.json"))).unwrap();
            out.push((text, serde_json::from_str(&meta).unwrap()));
        }
        out
    }
}

fn email_config(port: u16, tls: SmtpTls) -> SinkConfig {
    let mut config = sink_config(SinkType::Email);
    config.smtp_host = Some("127.0.0.1".into());
    config.smtp_port = Some(port);
    config.smtp_tls = tls;
    config.from = Some("clawguard <clawguard@example.com>".into());
    config.to = vec!["ops@example.com".into(), "sec@example.com".into()];
    config
}

/// The header block of a raw message, unfolded, as (name, value).
fn headers(raw: &str) -> Vec<(String, String)> {
    let head = raw.split("\r\n\r\n").next().unwrap().replace("\r\n ", " ");
    head.split("\r\n")
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect()
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
}

#[tokio::test]
async fn starttls_with_auth_delivers_the_rendered_mail() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = test_pki(dir.path());
    let args = [
        "--mode",
        "starttls",
        "--cert",
        cert.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
        "--auth",
        "alerts:s3cret pass",
    ];
    let Some(smtp) = start_smtp(dir.path(), &args) else {
        return;
    };
    let password = dir.path().join("password");
    std::fs::write(&password, "s3cret pass\n").unwrap();
    let mut config = email_config(smtp.port, SmtpTls::Starttls);
    config.ca_file = Some(ca);
    config.username = Some("alerts".into());
    config.password_file = Some(password);
    let sink = Sink::build(&config, &no_env).unwrap();
    let n = notification();
    assert_eq!(sink.send(&n, 0).await, Outcome::Delivered);

    let saved = smtp.saved();
    assert_eq!(saved.len(), 1);
    let (raw, meta) = &saved[0];
    assert_eq!(meta["tls"], true, "sent under STARTTLS");
    assert_eq!(meta["login"], "alerts");
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    assert_eq!(meta["helo"], hostname.trim(), "EHLO with this host's name");
    assert_eq!(meta["mail_from"], "clawguard@example.com");
    assert_eq!(
        meta["rcpt_tos"],
        serde_json::json!(["ops@example.com", "sec@example.com"])
    );
    let h = headers(raw);
    assert_eq!(
        header(&h, "subject"),
        "[clawguard] HIGH gw1.example: 6 alerts, 30 events"
    );
    assert_eq!(header(&h, "from"), "clawguard <clawguard@example.com>");
    assert_eq!(header(&h, "to"), "ops@example.com, sec@example.com");
    assert_eq!(
        header(&h, "message-id"),
        "<clawguard.42.1796626410123@gw1.example>"
    );
    assert_eq!(header(&h, "auto-submitted"), "auto-generated");
    assert!(header(&h, "content-type").starts_with("text/plain; charset=utf-8"));
    assert_eq!(header(&h, "date"), "Mon, 07 Dec 2026 06:53:30 +0000");
    // The body as the receiver decodes it.
    let parsed = mailparse_body(raw);
    assert!(
        parsed.contains("1. [HIGH] banned: banned 192.0.2.7 in sshd\n"),
        "{parsed}"
    );
    assert!(parsed.contains("   12 events, "), "{parsed}");
    assert!(
        parsed.contains("2. [MEDIUM] banned: banned 198.51.100.9 in sshd — é\n"),
        "{parsed}"
    );
    assert!(
        parsed.contains("   > Failed password for root from 192.0.2.7 port 22\n"),
        "{parsed}"
    );
    assert!(
        parsed.contains("\n… 4 more alerts (15 events) not listed\n"),
        "{parsed}"
    );
}

/// The body of a single-part message, decoded from its transfer encoding
/// (lettre picks 7bit, quoted-printable or base64).
fn mailparse_body(raw: &str) -> String {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let h = headers(&format!("{head}\r\n\r\n"));
    let encoding = h
        .iter()
        .find(|(k, _)| k == "content-transfer-encoding")
        .map_or("7bit", |(_, v)| v.as_str());
    let script = "import sys, quopri, base64\n\
        data = sys.stdin.buffer.read()\n\
        enc = sys.argv[1].lower()\n\
        out = quopri.decodestring(data) if enc == 'quoted-printable' else base64.b64decode(data) if enc == 'base64' else data\n\
        sys.stdout.buffer.write(out.replace(b'\\r\\n', b'\\n'))\n";
    let mut child = Command::new(PYTHON)
        .args(["-c", script, encoding])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(body.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn starttls_fails_closed_when_the_server_does_not_offer_it() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, _, _) = test_pki(dir.path());
    let Some(smtp) = start_smtp(dir.path(), &["--mode", "plain"]) else {
        return;
    };
    let mut config = email_config(smtp.port, SmtpTls::Starttls);
    config.ca_file = Some(ca);
    let sink = Sink::build(&config, &no_env).unwrap();
    let outcome = sink.send(&notification(), 0).await;
    let Outcome::Retry { error, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert!(error.contains("STARTTLS"), "{error}");
    assert!(smtp.saved().is_empty(), "nothing may be sent in clear text");
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_and_nothing_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let (_, cert, key) = test_pki(dir.path());
    let args = [
        "--mode",
        "starttls",
        "--cert",
        cert.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
    ];
    let Some(smtp) = start_smtp(dir.path(), &args) else {
        return;
    };
    // No ca_file: the test CA is not among the system roots.
    let sink = Sink::build(&email_config(smtp.port, SmtpTls::Starttls), &no_env).unwrap();
    let outcome = sink.send(&notification(), 0).await;
    let Outcome::Retry { error, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        error.contains("tls") || error.contains("certificate"),
        "{error}"
    );
    assert!(smtp.saved().is_empty());
}

#[tokio::test]
async fn implicit_tls_delivers() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = test_pki(dir.path());
    let args = [
        "--mode",
        "implicit",
        "--cert",
        cert.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
    ];
    let Some(smtp) = start_smtp(dir.path(), &args) else {
        return;
    };
    let mut config = email_config(smtp.port, SmtpTls::Tls);
    config.ca_file = Some(ca);
    let sink = Sink::build(&config, &no_env).unwrap();
    assert_eq!(sink.send(&notification(), 0).await, Outcome::Delivered);
    let saved = smtp.saved();
    assert_eq!(saved.len(), 1);
    assert!(saved[0].0.contains("Subject: [clawguard] HIGH gw1.example"));
}

#[tokio::test]
async fn a_rejected_recipient_and_a_wrong_password_are_permanent() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = test_pki(dir.path());
    let args = [
        "--mode",
        "starttls",
        "--cert",
        cert.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
        "--auth",
        "alerts:right",
        "--reject",
        "nobody@example.com",
    ];
    let Some(smtp) = start_smtp(dir.path(), &args) else {
        return;
    };
    let mut config = email_config(smtp.port, SmtpTls::Starttls);
    config.ca_file = Some(ca);
    config.username = Some("alerts".into());
    config.password = Some("${SMTP_PASSWORD}".into());
    config.to = vec!["nobody@example.com".into()];
    let right = |name: &str| (name == "SMTP_PASSWORD").then(|| "right".to_string());
    let sink = Sink::build(&config, &right).unwrap();
    let outcome = sink.send(&notification(), 0).await;
    let Outcome::Permanent { error } = outcome else {
        panic!("550 must be permanent: {outcome:?}");
    };
    assert!(error.contains("550"), "{error}");

    config.to = vec!["ops@example.com".into()];
    let wrong = |name: &str| (name == "SMTP_PASSWORD").then(|| "wrong".to_string());
    let sink = Sink::build(&config, &wrong).unwrap();
    let outcome = sink.send(&notification(), 0).await;
    assert!(
        matches!(outcome, Outcome::Permanent { .. }),
        "535: {outcome:?}"
    );
    assert!(smtp.saved().is_empty());
}

#[tokio::test]
async fn plain_smtp_to_a_loopback_relay_and_a_dead_relay_retries() {
    let dir = tempfile::tempdir().unwrap();
    let Some(smtp) = start_smtp(dir.path(), &["--mode", "plain"]) else {
        return;
    };
    let sink = Sink::build(&email_config(smtp.port, SmtpTls::None), &no_env).unwrap();
    assert_eq!(sink.send(&notification(), 0).await, Outcome::Delivered);
    let saved = smtp.saved();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].1["tls"], false);
    // The relay goes away: a connection error, retried.
    drop(smtp);
    let outcome = sink.send(&notification(), 0).await;
    assert!(matches!(outcome, Outcome::Retry { .. }), "{outcome:?}");
}

// ---------------------------------------------------------------- syslog

struct Rsyslog {
    _child: KillOnDrop,
    /// imuxsock's socket, set to parse RFC 5424 (see docs/alerting.md).
    socket: PathBuf,
    out: PathBuf,
    udp: u16,
    tcp: u16,
    tls: u16,
}

fn free_port(udp: bool) -> u16 {
    if udp {
        std::net::UdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    } else {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }
}

/// rsyslogd in the foreground with its own config: imudp and imtcp on
/// loopback, every RFC 5424 field of every message as one JSON line.
fn start_rsyslog(dir: &Path, tls: Option<&Pki>) -> Option<Rsyslog> {
    if !Path::new(RSYSLOGD).exists() {
        skip_or_fail(format!(
            "{RSYSLOGD} is not installed (apt-get install rsyslog)"
        ));
        return None;
    }
    if tls.is_some() && !Path::new(GTLS_DRIVER).exists() {
        skip_or_fail(format!(
            "{GTLS_DRIVER} is missing (apt-get install rsyslog-gnutls)"
        ));
        return None;
    }
    let work = dir.join("rsyslog");
    std::fs::create_dir_all(&work).unwrap();
    let out = work.join("messages.json");
    let (udp, tcp, tls_port) = (free_port(true), free_port(false), free_port(false));
    let (tls_global, tls_input) = match tls {
        None => (String::new(), String::new()),
        Some(pki) => (
            format!(
                "global(defaultNetstreamDriverCAFile=\"{}\" defaultNetstreamDriverCertFile=\"{}\" \
                 defaultNetstreamDriverKeyFile=\"{}\")\n",
                pki.ca.display(),
                pki.cert.display(),
                pki.key.display()
            ),
            format!(
                "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"{tls_port}\" name=\"imtls\" \
                 streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")\n"
            ),
        ),
    };
    let config = format!(
        r#"global(workDirectory="{work}" maxMessageSize="64k")
{tls_global}module(load="imudp")
module(load="imtcp")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" socket="{socket}" useSpecialParser="off" parseHostname="on" ignoreTimestamp="off")
input(type="imudp" address="127.0.0.1" port="{udp}")
input(type="imtcp" address="127.0.0.1" port="{tcp}")
{tls_input}template(name="fields" type="list" option.jsonf="on") {{
  property(outname="pri" name="pri" format="jsonf")
  property(outname="version" name="protocol-version" format="jsonf")
  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="app_name" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
  property(outname="raw" name="rawmsg" format="jsonf")
  property(outname="input" name="inputname" format="jsonf")
}}
action(type="omfile" file="{out}" template="fields")
"#,
        work = work.display(),
        out = out.display(),
        socket = work.join("log.sock").display(),
    );
    let conf = work.join("rsyslog.conf");
    std::fs::write(&conf, config).unwrap();
    let child = Command::new(RSYSLOGD)
        .arg("-n")
        .arg("-f")
        .arg(&conf)
        .arg("-i")
        .arg(work.join("rsyslogd.pid"))
        .stdout(Stdio::null())
        .spawn()
        .expect("start rsyslogd");
    let child = KillOnDrop(child);
    // Ready when its TCP input accepts.
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", tcp)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "rsyslogd did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    if tls.is_some() {
        while std::net::TcpStream::connect(("127.0.0.1", tls_port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "rsyslogd did not listen on TLS"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let socket = work.join("log.sock");
    while !socket.exists() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "rsyslogd made no socket"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Rsyslog {
        _child: child,
        socket,
        out,
        udp,
        tcp,
        tls: tls_port,
    })
}

impl Rsyslog {
    /// The lines written so far, parsed.
    fn lines(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    async fn wait_lines(&self, n: usize) -> Vec<serde_json::Value> {
        wait_for(&format!("{n} messages in rsyslog's output"), || {
            let lines = self.lines();
            (lines.len() >= n).then_some(lines)
        })
        .await
    }
}

fn syslog_config(transport: SyslogTransport, address: String) -> SinkConfig {
    let mut config = sink_config(SinkType::Syslog);
    config.transport = Some(transport);
    config.address = Some(address);
    config.facility = Some("local3".into());
    config
}

/// Every RFC 5424 field rsyslog parsed from the three messages of
/// [`notification`].
fn check_fields(lines: &[serde_json::Value], input: &str) {
    assert_eq!(lines.len(), 3, "{lines:#?}");
    let pid = std::process::id().to_string();
    let expected = [
        // local3 = 19: 19 × 8 + err (3), warning (4), err (3)
        (
            "155",
            "banned",
            "12",
            "banned 192.0.2.7 in sshd (12 events) | Failed password for root from 192.0.2.7 port 22",
        ),
        (
            "156",
            "banned",
            "3",
            "banned 198.51.100.9 in sshd — é (3 events) | Failed password for root from 192.0.2.7 port 22",
        ),
        ("155", "-", "15", "… 4 more alerts (15 events) not listed"),
    ];
    for (line, (pri, msgid, events, msg)) in lines.iter().zip(expected) {
        assert_eq!(line["input"], input);
        assert_eq!(line["pri"], pri, "{line}");
        assert_eq!(line["version"], "1");
        assert_eq!(line["timestamp"], "2026-12-07T06:53:30.123Z", "{line}");
        assert_eq!(line["hostname"], "gw1.example");
        assert_eq!(line["app_name"], "clawguard");
        assert_eq!(line["procid"], pid.as_str());
        assert_eq!(line["msgid"], msgid, "{line}");
        let sd = line["sd"].as_str().unwrap();
        assert!(
            sd.starts_with(&format!(
                "[clawguard@32473 id=\"42\" severity=\"{}\" events=\"{events}\" group=\"engine=ban,kind=banned\"",
                if pri == "156" { "medium" } else { "high" }
            )),
            "{sd}"
        );
        if msgid == "banned" {
            assert!(
                sd.contains(" fingerprint=\"0123456789abcdef\" engine=\"ban\"]"),
                "{sd}"
            );
            assert!(
                sd.ends_with("[labels@32473 jail=\"sshd\" target=\"192.0.2.7\"]"),
                "{sd}"
            );
        } else {
            assert!(sd.ends_with(" omitted=\"4\"]"), "{sd}");
        }
        // rsyslog keeps the BOM that marks MSG as UTF-8.
        let got = line["msg"].as_str().unwrap();
        assert_eq!(got.trim_start_matches('\u{feff}'), msg, "{line}");
        assert!(
            line["raw"].as_str().unwrap().contains(" \u{feff}"),
            "{line}"
        );
    }
}

#[tokio::test]
async fn rsyslog_parses_every_field_over_udp_tcp_and_its_local_socket() {
    let dir = tempfile::tempdir().unwrap();
    let Some(rsyslog) = start_rsyslog(dir.path(), None) else {
        return;
    };
    let udp = Sink::build(
        &syslog_config(SyslogTransport::Udp, format!("127.0.0.1:{}", rsyslog.udp)),
        &no_env,
    )
    .unwrap();
    assert_eq!(udp.send(&notification(), 0).await, Outcome::Delivered);
    let lines = rsyslog.wait_lines(3).await;
    check_fields(&lines, "imudp");

    let tcp = Sink::build(
        &syslog_config(SyslogTransport::Tcp, format!("127.0.0.1:{}", rsyslog.tcp)),
        &no_env,
    )
    .unwrap();
    assert_eq!(tcp.send(&notification(), 0).await, Outcome::Delivered);
    let lines = rsyslog.wait_lines(6).await;
    check_fields(&lines[3..], "imtcp");

    let local = Sink::build(
        &syslog_config(SyslogTransport::Local, rsyslog.socket.display().to_string()),
        &no_env,
    )
    .unwrap();
    assert_eq!(local.send(&notification(), 0).await, Outcome::Delivered);
    let lines = rsyslog.wait_lines(9).await;
    check_fields(&lines[6..], "imuxsock");
    // What rsyslog got is what the formatter made, byte for byte.
    let made = messages(&notification(), 19, Some(std::process::id()), 8192);
    for (line, made) in lines[3..].iter().zip(&made) {
        assert_eq!(line["raw"].as_str().unwrap().as_bytes(), made.as_slice());
    }
}

#[tokio::test]
async fn a_long_alert_is_cut_to_one_safe_udp_datagram() {
    let dir = tempfile::tempdir().unwrap();
    let Some(rsyslog) = start_rsyslog(dir.path(), None) else {
        return;
    };
    let mut n = notification();
    n.alerts.truncate(1);
    n.omitted_alerts = 0;
    n.alerts[0].summary = "€".repeat(5000);
    let udp = Sink::build(
        &syslog_config(SyslogTransport::Udp, format!("127.0.0.1:{}", rsyslog.udp)),
        &no_env,
    )
    .unwrap();
    assert_eq!(udp.send(&n, 0).await, Outcome::Delivered);
    let lines = rsyslog.wait_lines(1).await;
    let raw = lines[0]["raw"].as_str().unwrap();
    assert!(raw.len() <= MAX_UDP_BYTES, "{}", raw.len());
    assert!(
        raw.len() > MAX_UDP_BYTES - 4,
        "cut close to the bound: {}",
        raw.len()
    );
    let msg = lines[0]["msg"].as_str().unwrap();
    assert!(
        msg.trim_start_matches('\u{feff}').starts_with("€€€"),
        "{msg}"
    );
    assert!(msg.ends_with('…'), "{msg}");
    assert_eq!(lines[0]["msgid"], "banned");
}

#[tokio::test]
async fn a_receiver_that_is_down_means_retry() {
    let port = free_port(false);
    let tcp = Sink::build(
        &syslog_config(SyslogTransport::Tcp, format!("127.0.0.1:{port}")),
        &no_env,
    )
    .unwrap();
    let outcome = tcp.send(&notification(), 0).await;
    assert!(matches!(outcome, Outcome::Retry { .. }), "{outcome:?}");

    let dir = tempfile::tempdir().unwrap();
    let local = Sink::build(
        &syslog_config(
            SyslogTransport::Local,
            dir.path().join("absent.sock").display().to_string(),
        ),
        &no_env,
    )
    .unwrap();
    let outcome = local.send(&notification(), 0).await;
    assert!(matches!(outcome, Outcome::Retry { .. }), "{outcome:?}");
}

#[tokio::test]
async fn the_local_socket_gets_one_datagram_per_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.sock");
    let socket = tokio::net::UnixDatagram::bind(&path).unwrap();
    let mut config = syslog_config(SyslogTransport::Local, path.display().to_string());
    config.facility = None; // authpriv
    let sink = Sink::build(&config, &no_env).unwrap();
    assert_eq!(sink.send(&notification(), 0).await, Outcome::Delivered);
    let made = messages(&notification(), 10, Some(std::process::id()), 8192);
    let mut buf = vec![0u8; 65536];
    for want in &made {
        let n = tokio::time::timeout(Duration::from_secs(5), socket.recv(&mut buf))
            .await
            .expect("a datagram")
            .unwrap();
        assert_eq!(&buf[..n], want.as_slice());
    }
    assert!(
        std::str::from_utf8(&made[0])
            .unwrap()
            .starts_with("<83>1 2026-12-07T06:53:30.123Z gw1.example clawguard ")
    );
}

// ---------------------------------------------------------------- syslog over TLS

/// A TLS listener (RFC 5425) that reads one connection's octet-counted
/// frames until the sender closes, then closes, and hands them over.
async fn tls_listener(
    cert: &Path,
    key: &Path,
    close: bool,
) -> (u16, tokio::task::JoinHandle<Vec<Vec<u8>>>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(key).unwrap();
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let Ok(mut tls) = acceptor.accept(tcp).await else {
            return Vec::new();
        };
        if !close {
            // Never read, never close: the sender must give up in time.
            tokio::time::sleep(Duration::from_secs(30)).await;
            return Vec::new();
        }
        let mut data = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            match tls.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => data.extend_from_slice(&chunk[..n]),
            }
            assert!(data.len() < 1 << 20, "bounded");
        }
        let _ = tls.shutdown().await;
        parse_octet_frames(&data)
    });
    (port, task)
}

/// RFC 6587 octet-counted frames: `LEN SP MSG`…
fn parse_octet_frames(mut data: &[u8]) -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    while !data.is_empty() {
        let space = data.iter().position(|b| *b == b' ').expect("MSG-LEN SP");
        let len: usize = std::str::from_utf8(&data[..space])
            .unwrap()
            .parse()
            .unwrap();
        let end = space + 1 + len;
        frames.push(data[space + 1..end].to_vec());
        data = &data[end..];
    }
    frames
}

#[tokio::test]
async fn tls_delivers_octet_counted_frames_to_a_trusted_receiver_only() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = test_pki(dir.path());

    let (port, received) = tls_listener(&cert, &key, true).await;
    let mut config = syslog_config(SyslogTransport::Tls, format!("127.0.0.1:{port}"));
    config.ca_file = Some(ca.clone());
    let sink = Sink::build(&config, &no_env).unwrap();
    assert_eq!(sink.send(&notification(), 0).await, Outcome::Delivered);
    let frames = received.await.unwrap();
    let made = messages(&notification(), 19, Some(std::process::id()), 8192);
    assert_eq!(frames, made);

    // Without the CA the handshake fails: nothing is sent, it is retried.
    let (port, received) = tls_listener(&cert, &key, true).await;
    let config = syslog_config(SyslogTransport::Tls, format!("127.0.0.1:{port}"));
    let sink = Sink::build(&config, &no_env).unwrap();
    let outcome = sink.send(&notification(), 0).await;
    assert!(matches!(outcome, Outcome::Retry { .. }), "{outcome:?}");
    assert!(received.await.unwrap().is_empty());

    // A receiver that never reads nor closes: retried within the timeout,
    // not taken as delivered.
    let (port, _received) = tls_listener(&cert, &key, false).await;
    let mut config = syslog_config(SyslogTransport::Tls, format!("127.0.0.1:{port}"));
    config.ca_file = Some(ca);
    config.timeout = clawguard_config::Seconds(1);
    let sink = Sink::build(&config, &no_env).unwrap();
    let start = Instant::now();
    let outcome = sink.send(&notification(), 0).await;
    assert!(matches!(outcome, Outcome::Retry { .. }), "{outcome:?}");
    assert!(start.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn rsyslog_parses_every_field_over_tls() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = test_pki(dir.path());
    let pki = Pki {
        ca: ca.clone(),
        cert,
        key,
    };
    let Some(rsyslog) = start_rsyslog(dir.path(), Some(&pki)) else {
        return;
    };
    let mut config = syslog_config(SyslogTransport::Tls, format!("127.0.0.1:{}", rsyslog.tls));
    config.ca_file = Some(ca);
    let tls = Sink::build(&config, &no_env).unwrap();
    assert_eq!(tls.send(&notification(), 0).await, Outcome::Delivered);
    let lines = rsyslog.wait_lines(3).await;
    check_fields(&lines, "imtls");
}
