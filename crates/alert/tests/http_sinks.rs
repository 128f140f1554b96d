//! The six HTTP sinks against real servers on 127.0.0.1: a receiver this
//! test runs (plain and TLS, a minimal HTTP/1.1 server on tokio) that can
//! answer 200, 500, 429 with Retry-After, 404, a redirect, a huge body, or
//! hang; and a real Alertmanager (Debian's prometheus-alertmanager) whose
//! API the test reads the alerts back from. Without the Alertmanager binary
//! that test skips with a printed reason, or fails when
//! CLAWGUARD_REQUIRE_PRIVILEGED=1.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clawguard_alert::sink::{Outcome, Sink};
use clawguard_alert::{AlertLine, Notification, verify_signature};
use clawguard_config::{Seconds, SinkConfig, SinkType};
use clawguard_event::{Engine, Severity};
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Longest a receiver waits for a request, and longest any test waits.
const IO_LIMIT: Duration = Duration::from_secs(10);

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// `listed` alerts (summaries with multibyte text), `omitted` more.
fn notification(listed: usize, omitted: u64) -> Notification {
    let t0 = now_ms() - 60_000;
    let alerts = (0..listed)
        .map(|i| AlertLine {
            fingerprint: format!("{:016x}", 0xc1a0_0000 + i),
            kind: "banned".into(),
            engine: Engine::Ban,
            severity: Severity::High,
            summary: format!("banned 192.0.2.{i} in jail sshd — {}", "日本語".repeat(20)),
            labels: BTreeMap::from([
                ("jail".to_string(), "sshd".to_string()),
                ("target".to_string(), format!("192.0.2.{i}")),
            ]),
            count: 10 + i as u64,
            first_ms: t0,
            last_ms: t0 + 30_000,
            repeat: false,
            samples: vec![format!(
                "Failed password for root from 192.0.2.{i} port 22 ssh2 ✓"
            )],
        })
        .collect();
    Notification {
        id: 42,
        sink: "t".into(),
        group_key: "engine=ban,kind=banned".into(),
        group_labels: BTreeMap::from([
            ("engine".to_string(), "ban".to_string()),
            ("kind".to_string(), "banned".to_string()),
        ]),
        severity: Severity::High,
        host: "gw1".into(),
        created_ms: t0 + 60_000,
        alerts,
        omitted_alerts: omitted,
        events: 1000,
        first_ms: t0,
        last_ms: t0 + 30_000,
        test: false,
    }
}

fn config(kind: SinkType, url: Option<String>) -> SinkConfig {
    let mut c = SinkConfig::journal(kind.name());
    c.kind = kind;
    c.url = url;
    c.timeout = Seconds(2);
    c
}

fn build(c: &SinkConfig) -> Sink {
    Sink::build(c, &|_| None).unwrap_or_else(|e| panic!("{e}"))
}

// ---- the receiver -------------------------------------------------------

#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    /// Names lowercased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == &name.to_ascii_lowercase())
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

#[derive(Debug, Clone)]
enum Reply {
    Status(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Read the request, then answer nothing.
    Hang,
    /// 200 with a body of this many bytes, written until the client stops.
    Huge(usize),
}

fn status(code: u16) -> Reply {
    Reply::Status(code, Vec::new(), Vec::new())
}

struct Receiver {
    addr: SocketAddr,
    https: bool,
    received: Arc<Mutex<Vec<Received>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
    /// Body bytes a `Huge` reply got written.
    written: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    async fn start(tls: Option<Arc<rustls::ServerConfig>>) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let replies = Arc::new(Mutex::new(VecDeque::new()));
        let written = Arc::new(AtomicUsize::new(0));
        let https = tls.is_some();
        let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
        let (r, q, w) = (received.clone(), replies.clone(), written.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let (r, q, w, acceptor) = (r.clone(), q.clone(), w.clone(), acceptor.clone());
                tokio::spawn(async move {
                    match acceptor {
                        Some(acceptor) => {
                            // A client that refuses the certificate ends here.
                            if let Ok(Ok(tls)) =
                                tokio::time::timeout(IO_LIMIT, acceptor.accept(stream)).await
                            {
                                serve(tls, r, q, w).await;
                            }
                        }
                        None => serve(stream, r, q, w).await,
                    }
                });
            }
        });
        Receiver {
            addr,
            https,
            received,
            replies,
            written,
            task,
        }
    }

    fn url(&self, path: &str) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}{path}", self.addr)
    }

    fn reply(&self, reply: Reply) {
        self.replies.lock().unwrap().push_back(reply);
    }

    fn requests(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// One request, one answer, close. Every read and write is bounded.
async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    received: Arc<Mutex<Vec<Received>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
    written: Arc<AtomicUsize>,
) {
    let Ok(Some(request)) = tokio::time::timeout(IO_LIMIT, read_request(&mut stream)).await else {
        return;
    };
    received.lock().unwrap().push(request);
    let reply = replies
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| status(200));
    match reply {
        Reply::Status(code, headers, body) => {
            let mut head = format!(
                "HTTP/1.1 {code} Test\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.shutdown().await;
        }
        Reply::Hang => tokio::time::sleep(IO_LIMIT * 3).await,
        Reply::Huge(size) => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let chunk = vec![b'x'; 64 << 10];
            while written.load(Ordering::SeqCst) < size {
                let write = tokio::time::timeout(Duration::from_secs(2), stream.write_all(&chunk));
                match write.await {
                    Ok(Ok(())) => written.fetch_add(chunk.len(), Ordering::SeqCst),
                    _ => break,
                };
            }
        }
    }
}

async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > 64 << 10 {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    if length > 4 << 20 {
        return None;
    }
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        method,
        path,
        headers,
        body,
    })
}

/// A port on 127.0.0.1 nothing listens on.
async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    listener.local_addr().unwrap().port()
}

// ---- what each sink sends ------------------------------------------------

#[tokio::test]
async fn webhook_is_signed_and_a_tampered_wrong_key_or_replayed_request_fails() {
    let receiver = Receiver::start(None).await;
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, "hook-s3cret\n").unwrap();
    let mut c = config(SinkType::Webhook, Some(receiver.url("/hook?x=1")));
    c.secret_file = Some(secret_file);
    let sink = build(&c);
    let n = notification(3, 2);
    let sent_at = now_ms();
    assert_eq!(sink.send(&n, sent_at).await, Outcome::Delivered);

    let requests = receiver.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/hook?x=1"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("idempotency-key"), Some("gw1-42"));
    let timestamp = r.header("x-clawguard-timestamp").unwrap();
    assert_eq!(timestamp, (sent_at / 1000).to_string());
    let signature = r.header("x-clawguard-signature").unwrap();
    let now_s = sent_at / 1000;
    let verify =
        |secret, ts, body: &[u8], now| verify_signature(secret, ts, body, signature, now, 300);
    assert_eq!(verify("hook-s3cret", timestamp, &r.body, now_s), Ok(()));
    let mut tampered = r.body.clone();
    let at = tampered.iter().position(|&b| b == b'2').unwrap();
    tampered[at] = b'3';
    assert!(verify("hook-s3cret", timestamp, &tampered, now_s).is_err());
    assert!(verify("other-secret", timestamp, &r.body, now_s).is_err());
    // The same request replayed ten minutes later.
    assert!(verify("hook-s3cret", timestamp, &r.body, now_s + 600).is_err());

    let body = r.json();
    assert_eq!(body["schema"], "clawguard.alert.v1");
    assert_eq!(body["id"], 42);
    assert_eq!(body["host"], "gw1");
    assert_eq!(body["omitted_alerts"], 2);
    assert_eq!(body["events"], 1000);
    assert_eq!(body["alerts"].as_array().unwrap().len(), 3);
    assert_eq!(body["alerts"][1]["count"], 11);
    assert_eq!(body["alerts"][0]["labels"]["jail"], "sshd");
    assert!(
        body["alerts"][0]["samples"][0]
            .as_str()
            .unwrap()
            .ends_with('✓')
    );
}

#[tokio::test]
async fn webhook_without_a_secret_is_not_signed() {
    let receiver = Receiver::start(None).await;
    let sink = build(&config(SinkType::Webhook, Some(receiver.url("/"))));
    assert_eq!(
        sink.send(&notification(1, 0), now_ms()).await,
        Outcome::Delivered
    );
    let r = &receiver.requests()[0];
    assert!(r.header("x-clawguard-timestamp").is_some());
    assert!(r.header("x-clawguard-signature").is_none());
}

/// The count a text message ends with (`… N more alerts`) plus the alerts
/// it lists: every alert is accounted for.
fn accounted(text: &str) -> u64 {
    let listed = text.lines().filter(|l| l.starts_with("• ")).count() as u64;
    let more = text
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("… "))
        .and_then(|l| l.strip_suffix(" more alerts"))
        .map_or(0, |n| n.parse().unwrap());
    listed + more
}

#[tokio::test]
async fn slack_discord_telegram_and_ntfy_send_their_shapes_within_their_limits() {
    let receiver = Receiver::start(None).await;
    let n = notification(20, 9);
    let dir = tempfile::tempdir().unwrap();
    let url_file = dir.path().join("slack-url");
    std::fs::write(&url_file, receiver.url("/services/T000/B000/XXXX")).unwrap();

    let mut slack = config(SinkType::Slack, None);
    slack.url_file = Some(url_file);
    let discord = config(SinkType::Discord, Some(receiver.url("/api/webhooks/1/tok")));
    let mut telegram = config(SinkType::Telegram, Some(receiver.url("/")));
    telegram.token = Some("123456:ABC-def".into());
    telegram.chat_id = Some("-1001234".into());
    let mut ntfy = config(SinkType::Ntfy, Some(receiver.url("/clawguard-alerts")));
    ntfy.token = Some("tk_0123456789".into());
    for c in [&slack, &discord, &telegram, &ntfy] {
        assert_eq!(
            build(c).send(&n, now_ms()).await,
            Outcome::Delivered,
            "{}",
            c.name
        );
    }
    let requests = receiver.requests();
    assert_eq!(requests.len(), 4);
    for r in &requests {
        assert_eq!(r.method, "POST");
        assert_eq!(r.header("idempotency-key"), Some("gw1-42"));
    }

    let slack = &requests[0];
    assert_eq!(slack.path, "/services/T000/B000/XXXX");
    let text = slack.json()["text"].as_str().unwrap().to_string();
    assert!(text.len() <= 4000 && text.starts_with("[clawguard] HIGH gw1"));
    assert_eq!(accounted(&text), 29, "{text}");

    let discord = &requests[1];
    assert_eq!(discord.path, "/api/webhooks/1/tok");
    let body = discord.json();
    let content = body["content"].as_str().unwrap();
    assert!(
        content.chars().count() <= 2000,
        "{}",
        content.chars().count()
    );
    assert_eq!(accounted(content), 29);
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));

    let telegram = &requests[2];
    assert_eq!(telegram.path, "/bot123456:ABC-def/sendMessage");
    let body = telegram.json();
    assert_eq!(body["chat_id"], "-1001234");
    assert!(body.get("parse_mode").is_none());
    let text = body["text"].as_str().unwrap();
    assert!(text.encode_utf16().count() <= 4096);
    assert_eq!(accounted(text), 29);

    let ntfy = &requests[3];
    assert_eq!(ntfy.path, "/clawguard-alerts");
    assert_eq!(ntfy.header("authorization"), Some("Bearer tk_0123456789"));
    assert_eq!(ntfy.header("priority"), Some("4"));
    assert_eq!(ntfy.header("tags"), Some("clawguard,high"));
    assert!(
        ntfy.header("title")
            .unwrap()
            .starts_with("[clawguard] HIGH gw1")
    );
    assert!(ntfy.body.len() <= 4096);
    assert_eq!(accounted(std::str::from_utf8(&ntfy.body).unwrap()), 29);
}

// ---- answers ---------------------------------------------------------------

#[tokio::test]
async fn answers_are_classified_and_a_hang_is_a_retry_within_the_timeout() {
    let receiver = Receiver::start(None).await;
    let mut c = config(SinkType::Webhook, Some(receiver.url("/")));
    c.timeout = Seconds(1);
    let sink = build(&c);
    let n = notification(1, 0);

    receiver.reply(Reply::Status(500, Vec::new(), b"database down".to_vec()));
    let Outcome::Retry { after: None, error } = sink.send(&n, now_ms()).await else {
        panic!("500 is not a retry without delay");
    };
    assert_eq!(error, "HTTP 500: database down");

    receiver.reply(Reply::Status(
        429,
        vec![("Retry-After", "7".into())],
        Vec::new(),
    ));
    assert!(matches!(
        sink.send(&n, now_ms()).await,
        Outcome::Retry { after: Some(d), .. } if d == Duration::from_secs(7)
    ));

    let discord_429 =
        br#"{"message": "You are being rate limited.", "retry_after": 0.25, "global": false}"#;
    receiver.reply(Reply::Status(429, Vec::new(), discord_429.to_vec()));
    assert!(matches!(
        sink.send(&n, now_ms()).await,
        Outcome::Retry { after: Some(d), .. } if d == Duration::from_millis(250)
    ));

    receiver.reply(Reply::Status(404, Vec::new(), b"no such hook".to_vec()));
    assert_eq!(
        sink.send(&n, now_ms()).await,
        Outcome::Permanent {
            error: "HTTP 404: no such hook".into()
        }
    );

    receiver.reply(Reply::Hang);
    let start = Instant::now();
    let outcome = sink.send(&n, now_ms()).await;
    let took = start.elapsed();
    let Outcome::Retry { error, .. } = outcome else {
        panic!("a hang is not a retry: {outcome:?}");
    };
    assert!(error.contains("timed out"), "{error}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "{took:?}"
    );

    // And it comes back.
    assert_eq!(sink.send(&n, now_ms()).await, Outcome::Delivered);
    assert_eq!(receiver.requests().len(), 6);
}

#[tokio::test]
async fn redirects_are_followed_only_to_the_same_host_and_port() {
    let receiver = Receiver::start(None).await;
    let elsewhere = Receiver::start(None).await;
    let mut c = config(SinkType::Webhook, Some(receiver.url("/old")));
    c.secret = Some("s".into());
    let sink = build(&c);
    let n = notification(1, 0);

    receiver.reply(Reply::Status(
        307,
        vec![("Location", "/new".into())],
        Vec::new(),
    ));
    assert_eq!(sink.send(&n, now_ms()).await, Outcome::Delivered);
    let requests = receiver.requests();
    assert_eq!(
        (requests[1].method.as_str(), requests[1].path.as_str()),
        ("POST", "/new")
    );
    assert_eq!(requests[1].body, requests[0].body);
    assert_eq!(
        requests[1].header("x-clawguard-signature"),
        requests[0].header("x-clawguard-signature")
    );

    // 301, 302 and 303 would turn the POST into a bodiless GET, whose 200
    // would count as delivered: not followed, even to the same host.
    for code in [301, 302, 303] {
        receiver.reply(Reply::Status(
            code,
            vec![("Location", "/new".into())],
            Vec::new(),
        ));
        let outcome = sink.send(&n, now_ms()).await;
        assert!(
            matches!(&outcome, Outcome::Permanent { error } if error.contains("redirect not followed")),
            "{code}: {outcome:?}"
        );
    }
    assert_eq!(receiver.requests().len(), 5);

    // At most 3 redirects: the fourth 307 is the answer.
    for _ in 0..4 {
        receiver.reply(Reply::Status(
            307,
            vec![("Location", "/again".into())],
            Vec::new(),
        ));
    }
    let outcome = sink.send(&n, now_ms()).await;
    assert!(
        matches!(&outcome, Outcome::Permanent { error } if error.starts_with("HTTP 307")),
        "{outcome:?}"
    );
    assert_eq!(receiver.requests().len(), 9);

    receiver.reply(Reply::Status(
        307,
        vec![("Location", elsewhere.url("/steal"))],
        Vec::new(),
    ));
    let outcome = sink.send(&n, now_ms()).await;
    assert!(
        matches!(&outcome, Outcome::Permanent { error } if error.contains("redirect not followed")),
        "{outcome:?}"
    );
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn a_huge_answer_is_not_read_whole() {
    let receiver = Receiver::start(None).await;
    let sink = build(&config(SinkType::Webhook, Some(receiver.url("/"))));
    let size = 256 << 20;
    receiver.reply(Reply::Huge(size));
    let start = Instant::now();
    assert_eq!(
        sink.send(&notification(1, 0), now_ms()).await,
        Outcome::Delivered
    );
    // The client stopped after 64 KiB; the receiver could write only what
    // the socket buffers hold.
    let deadline = Instant::now() + IO_LIMIT;
    let mut last = usize::MAX;
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = receiver.written.load(Ordering::SeqCst);
        if now == last {
            break;
        }
        last = now;
    }
    assert!(last < 64 << 20, "the receiver wrote {last} bytes");
    assert!(start.elapsed() < IO_LIMIT);
}

#[tokio::test]
async fn errors_never_show_a_url_or_a_token() {
    let port = closed_port().await;
    let mut slack = config(
        SinkType::Slack,
        Some(format!(
            "http://127.0.0.1:{port}/services/T0/B0/SLACKSECRET"
        )),
    );
    slack.timeout = Seconds(1);
    let mut telegram = config(SinkType::Telegram, Some(format!("http://127.0.0.1:{port}")));
    telegram.token = Some("999:TELEGRAMSECRET".into());
    telegram.chat_id = Some("1".into());
    for c in [&slack, &telegram] {
        let sink = build(c);
        let Outcome::Retry { error, .. } = sink.send(&notification(1, 0), now_ms()).await else {
            panic!("connection refused is not a retry");
        };
        assert!(
            !error.contains("SECRET") && !error.contains(&port.to_string()),
            "{error}"
        );
        assert!(error.contains("url=<redacted>"), "{error}");
    }
    // A bad URL at build time is not quoted either.
    let bad = config(SinkType::Discord, Some("http://[SECRET/x".into()));
    let error = Sink::build(&bad, &|_| None).err().unwrap().to_string();
    assert!(!error.contains("SECRET"), "{error}");
}

// ---- TLS ---------------------------------------------------------------------

/// A test CA and a server certificate for 127.0.0.1 signed by it.
fn test_pki() -> (String, Arc<rustls::ServerConfig>) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "clawguard test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    (ca_cert.pem(), Arc::new(server))
}

#[tokio::test]
async fn tls_to_a_receiver_of_a_private_ca_needs_its_ca_file() {
    let (ca_pem, server) = test_pki();
    let receiver = Receiver::start(Some(server)).await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let n = notification(1, 0);

    let without = build(&config(SinkType::Webhook, Some(receiver.url("/tls"))));
    let outcome = without.send(&n, now_ms()).await;
    assert!(
        matches!(&outcome, Outcome::Retry { error, .. } if error.contains("certificate")),
        "{outcome:?}"
    );
    assert!(receiver.requests().is_empty());

    let mut c = config(SinkType::Webhook, Some(receiver.url("/tls")));
    c.ca_file = Some(ca_file.clone());
    assert_eq!(build(&c).send(&n, now_ms()).await, Outcome::Delivered);
    assert_eq!(receiver.requests()[0].path, "/tls");

    // A ca_file over 1 MiB is not read, even with a good certificate in it.
    let big = dir.path().join("big.pem");
    let padding = "# padding\n".repeat((1 << 20) / 10 + 1);
    std::fs::write(
        &big,
        format!("{}{padding}", std::fs::read_to_string(&ca_file).unwrap()),
    )
    .unwrap();
    c.ca_file = Some(big);
    let error = Sink::build(&c, &|_| None).err().unwrap().to_string();
    assert!(
        error.contains("big.pem") && error.contains("larger than"),
        "{error}"
    );

    // A ca_file without a certificate is a build error that names it.
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "not a certificate\n").unwrap();
    c.ca_file = Some(empty);
    let error = Sink::build(&c, &|_| None).err().unwrap().to_string();
    assert!(error.contains("empty.pem"), "{error}");
}

// ---- a real Alertmanager -----------------------------------------------------

const ALERTMANAGER: &str = "/usr/bin/prometheus-alertmanager";

/// Kills the Alertmanager when the test ends, however it ends.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `GET path` on loopback: status and body.
async fn http_get(addr: SocketAddr, path: &str) -> Option<(u16, Vec<u8>)> {
    let mut stream = tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(addr))
        .await
        .ok()?
        .ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = Vec::new();
    tokio::time::timeout(IO_LIMIT, stream.read_to_end(&mut response))
        .await
        .ok()?
        .ok()?;
    let head_end = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&response[..head_end]).ok()?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let mut body = response[head_end + 4..].to_vec();
    if chunked {
        body = dechunk(&body)?;
    }
    Some((status, body))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

fn start_alertmanager(dir: &Path, port: u16) -> KillOnDrop {
    let config = dir.join("alertmanager.yml");
    std::fs::write(
        &config,
        "route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n",
    )
    .unwrap();
    let child = Command::new(ALERTMANAGER)
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--storage.path={}", dir.join("data").display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--cluster.listen-address=")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    KillOnDrop(child)
}

#[tokio::test]
async fn a_real_alertmanager_receives_the_alerts() {
    if !Path::new(ALERTMANAGER).is_file() {
        clawguard_testkit::skip_or_fail(format!(
            "{ALERTMANAGER} not found (apt-get install prometheus-alertmanager)"
        ));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = closed_port().await;
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let _alertmanager = start_alertmanager(dir.path(), port);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some((200, _)) = http_get(addr, "/-/ready").await {
            break;
        }
        assert!(Instant::now() < deadline, "alertmanager not ready in 30 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let sink = build(&config(
        SinkType::Alertmanager,
        Some(format!("http://{addr}/")),
    ));
    let n = notification(3, 5);
    assert_eq!(sink.send(&n, now_ms()).await, Outcome::Delivered);

    let (status, body) = http_get(addr, "/api/v2/alerts").await.unwrap();
    assert_eq!(status, 200);
    let alerts: Vec<Value> = serde_json::from_slice(&body).unwrap();
    assert_eq!(alerts.len(), 4, "{alerts:#?}");
    let by_fingerprint = |fp: &str| {
        alerts
            .iter()
            .find(|a| a["labels"]["fingerprint"] == fp)
            .unwrap_or_else(|| panic!("no alert {fp} in {alerts:#?}"))
    };
    for line in &n.alerts {
        let got = by_fingerprint(&line.fingerprint);
        let labels = &got["labels"];
        assert_eq!(labels["alertname"], "clawguard_banned");
        assert_eq!(labels["severity"], "high");
        assert_eq!(labels["engine"], "ban");
        assert_eq!(labels["host"], "gw1");
        assert_eq!(labels["jail"], "sshd");
        assert_eq!(labels["target"], line.labels["target"]);
        let annotations = &got["annotations"];
        assert_eq!(annotations["summary"], line.summary);
        assert_eq!(annotations["count"], line.count.to_string());
        assert_eq!(annotations["samples"], line.samples[0]);
    }
    let omitted = alerts
        .iter()
        .find(|a| a["labels"]["alertname"] == "clawguard_omitted_alerts")
        .expect("the omitted count reaches Alertmanager");
    assert!(
        omitted["annotations"]["summary"]
            .as_str()
            .unwrap()
            .starts_with("… 5 more alerts")
    );
}

// ---- the receiver of docs/alerting.md ----------------------------------------

/// The Python receiver of docs/alerting.md, as written there.
fn documented_receiver() -> String {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/alerting.md"
    ))
    .unwrap();
    let start = doc.find("```python\n").expect("a python example") + "```python\n".len();
    let end = start + doc[start..].find("```").unwrap();
    doc[start..end].to_string()
}

#[tokio::test]
async fn the_documented_python_receiver_accepts_a_signed_webhook_and_refuses_a_wrong_key() {
    if !Path::new("/usr/bin/python3").is_file() {
        clawguard_testkit::skip_or_fail("/usr/bin/python3 not found");
        return;
    }
    let port = closed_port().await;
    let script = documented_receiver()
        .replace("b\"the sink's secret\"", "b\"doc-s3cret\"")
        .replace("9000", &port.to_string());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("receiver.py");
    std::fs::write(&path, script).unwrap();
    let _receiver = KillOnDrop(
        Command::new("/usr/bin/python3")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let deadline = Instant::now() + IO_LIMIT;
    while TcpStream::connect(addr).await.is_err() {
        assert!(Instant::now() < deadline, "python receiver not up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut c = config(SinkType::Webhook, Some(format!("http://{addr}/")));
    c.secret = Some("doc-s3cret".into());
    let n = notification(2, 0);
    assert_eq!(build(&c).send(&n, now_ms()).await, Outcome::Delivered);
    c.secret = Some("wrong".into());
    assert!(matches!(
        build(&c).send(&n, now_ms()).await,
        Outcome::Permanent { error } if error.starts_with("HTTP 401")
    ));
    // A replay: signed ten minutes ago.
    c.secret = Some("doc-s3cret".into());
    assert!(matches!(
        build(&c).send(&n, now_ms() - 600_000).await,
        Outcome::Permanent { error } if error.starts_with("HTTP 401")
    ));
}
