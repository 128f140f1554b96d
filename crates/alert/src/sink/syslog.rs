//! The syslog sink: RFC 5424 messages over the local socket, UDP (RFC 5426),
//! TCP (RFC 6587 octet counting) or TLS (RFC 5425).
//!
//! One syslog message per alert line, not per notification: each carries its
//! own PRI (from the alert's severity), MSGID (its event kind) and
//! fingerprint, so a SIEM indexes, counts and correlates alerts without
//! parsing the text, and a message fits one UDP datagram. Alerts a
//! notification does not list get one more message with their count, so the
//! `events` of a notification's messages add up to its total.
//!
//! The formatter ([`format`], [`messages`]) is pure; [`Syslog`] only sends.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clawguard_config::{SinkConfig, SyslogTransport, facility_code};
use clawguard_event::Severity;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::Outcome;
use crate::notification::{cut_at_char, severity_name};
use crate::{AlertError, Notification};

/// The structured-data ID of clawguard's parameters. RFC 5424 wants private
/// SD-IDs as `name@<IANA private enterprise number>`; clawguard has no PEN of
/// its own, so it uses 32473, the number RFC 5612 reserves for documentation
/// and examples. It is part of the message schema: it changes only if
/// clawguard registers a number.
pub const SD_ID: &str = "clawguard@32473";
/// The SD-ID of an alert's identifying labels.
pub const SD_ID_LABELS: &str = "labels@32473";
/// APP-NAME of every message.
pub const APP_NAME: &str = "clawguard";
/// The "nothing known" value of a header field.
pub const NILVALUE: &str = "-";
/// UTF-8 byte order mark that starts a MSG-UTF8 (RFC 5424 6.4).
pub const BOM: &str = "\u{feff}";

/// Largest message in one UDP datagram: RFC 5426 says every receiver takes
/// 480 bytes (IPv4) and should take 2048; more may be fragmented or dropped.
pub const MAX_UDP_BYTES: usize = 2048;
/// Largest message on the local socket, TCP and TLS (rsyslog's default
/// `maxMessageSize` is 8 KiB).
pub const MAX_STREAM_BYTES: usize = 8192;

/// Longest group key, label value or other parameter, before escaping.
const MAX_PARAM_BYTES: usize = 256;
/// Most labels sent with an alert.
const MAX_LABELS: usize = 16;
/// Default facility (the config's default).
const DEFAULT_FACILITY: u8 = 10; // authpriv
/// Default ports: 514 (RFC 5426, and the usual TCP port), 6514 (RFC 5425).
const DEFAULT_PORT: u16 = 514;
const DEFAULT_TLS_PORT: u16 = 6514;
/// The local socket when `address` does not name one.
pub const DEFAULT_LOCAL_SOCKET: &str = "/dev/log";

/// The syslog severity (RFC 5424 table 2) of a clawguard severity.
pub fn syslog_severity(severity: Severity) -> u8 {
    match severity {
        Severity::Critical => 2, // crit
        Severity::High => 3,     // err
        Severity::Medium => 4,   // warning
        Severity::Low => 5,      // notice
        Severity::Info => 6,     // info
    }
}

/// PRI = facility × 8 + severity.
pub fn pri(facility: u8, severity: Severity) -> u8 {
    facility * 8 + syslog_severity(severity)
}

/// TIMESTAMP: RFC 3339 in UTC with milliseconds and `Z`, or NILVALUE when
/// `ms` is out of range.
pub fn timestamp(ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) if (0..=9999).contains(&chrono::Datelike::year(&t)) => {
            t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
        }
        _ => NILVALUE.to_string(),
    }
}

/// A header field (HOSTNAME, APP-NAME, PROCID, MSGID): printable US-ASCII
/// only (other bytes become `_`), at most `max` bytes, NILVALUE when empty.
pub fn header_field(text: &str, max: usize) -> String {
    let field: String = text
        .chars()
        .map(|c| if c.is_ascii_graphic() { c } else { '_' })
        .take(max)
        .collect();
    if field.is_empty() {
        NILVALUE.to_string()
    } else {
        field
    }
}

/// An SD-NAME (PARAM-NAME): 1 to 32 printable US-ASCII characters except
/// `=`, space, `]` and `"`; others become `_`.
pub fn sd_name(text: &str) -> String {
    let name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '=' | ']' | '"') {
                c
            } else {
                '_'
            }
        })
        .take(32)
        .collect();
    if name.is_empty() { "_".into() } else { name }
}

/// A PARAM-VALUE: `"`, `\` and `]` escaped with `\` (RFC 5424 6.3.3);
/// control characters become spaces so a message stays one line.
pub fn escape_param_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\\' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// One SD-ELEMENT: an SD-ID and its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct SdElement {
    pub id: String,
    pub params: Vec<(String, String)>,
}

impl SdElement {
    fn render(&self, out: &mut String) {
        out.push('[');
        out.push_str(&self.id);
        for (name, value) in &self.params {
            out.push(' ');
            out.push_str(&sd_name(name));
            out.push_str("=\"");
            out.push_str(&escape_param_value(cut_at_char(value, MAX_PARAM_BYTES)));
            out.push('"');
        }
        out.push(']');
    }
}

/// One syslog message before formatting.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub facility: u8,
    pub severity: Severity,
    pub timestamp_ms: i64,
    pub hostname: String,
    pub procid: Option<u32>,
    pub msgid: String,
    pub structured_data: Vec<SdElement>,
    pub msg: String,
}

/// The RFC 5424 message of `record`, at most `max_bytes` long: SD elements
/// after the first are dropped if they do not fit, then MSG is cut at a
/// character boundary and ends with `…`.
pub fn format(record: &Record, max_bytes: usize) -> Vec<u8> {
    let procid = record
        .procid
        .map_or_else(|| NILVALUE.to_string(), |p| p.to_string());
    let head = format!(
        "<{}>1 {} {} {} {} {} ",
        pri(record.facility, record.severity),
        timestamp(record.timestamp_ms),
        header_field(&record.hostname, 255),
        header_field(APP_NAME, 48),
        header_field(&procid, 128),
        header_field(&record.msgid, 32),
    );
    let mut elements = record.structured_data.len();
    let structured_data = loop {
        let mut sd = String::new();
        for element in &record.structured_data[..elements] {
            element.render(&mut sd);
        }
        // Room for " " + BOM + a few characters of MSG.
        if elements <= 1 || head.len() + sd.len() + 16 <= max_bytes {
            break if sd.is_empty() {
                NILVALUE.to_string()
            } else {
                sd
            };
        }
        elements -= 1;
    };
    let mut out = head;
    out.push_str(&structured_data);
    let msg: String = record
        .msg
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if !msg.is_empty() {
        out.push(' ');
        out.push_str(BOM);
        let room = max_bytes.saturating_sub(out.len());
        if msg.len() <= room {
            out.push_str(&msg);
        } else {
            let ellipsis = "…";
            out.push_str(cut_at_char(&msg, room.saturating_sub(ellipsis.len())));
            out.push_str(ellipsis);
        }
    }
    // Only a header longer than `max_bytes` itself can still be over.
    cut_at_char(&out, max_bytes).as_bytes().to_vec()
}

/// The records of one notification: one per listed alert, and one for the
/// alerts it does not list.
pub fn records(notification: &Notification, facility: u8, procid: Option<u32>) -> Vec<Record> {
    let common = |severity: Severity, events: u64| {
        let mut params = vec![
            ("id".to_string(), notification.id.to_string()),
            ("severity".to_string(), severity_name(severity).to_string()),
            ("events".to_string(), events.to_string()),
            ("group".to_string(), notification.group_key.clone()),
        ];
        if notification.test {
            params.push(("test".into(), "1".into()));
        }
        params
    };
    let record = |severity, msgid: &str, sd, msg| Record {
        facility,
        severity,
        timestamp_ms: notification.created_ms,
        hostname: notification.host.clone(),
        procid,
        msgid: msgid.to_string(),
        structured_data: sd,
        msg,
    };
    let mut out = Vec::new();
    for line in &notification.alerts {
        let mut params = common(line.severity, line.count);
        params.push(("fingerprint".into(), line.fingerprint.clone()));
        params.push(("engine".into(), engine_name(line.engine)));
        if line.repeat {
            params.push(("repeat".into(), "1".into()));
        }
        let mut sd = vec![SdElement {
            id: SD_ID.into(),
            params,
        }];
        if !line.labels.is_empty() {
            sd.push(SdElement {
                id: SD_ID_LABELS.into(),
                params: line
                    .labels
                    .iter()
                    .take(MAX_LABELS)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            });
        }
        let mut msg = line.summary.clone();
        if line.count > 1 {
            msg.push_str(&format!(" ({} events)", line.count));
        }
        for sample in &line.samples {
            msg.push_str(" | ");
            msg.push_str(sample);
        }
        out.push(record(line.severity, msgid_of(&line.kind), sd, msg));
    }
    if notification.omitted_alerts > 0 || notification.alerts.is_empty() {
        let listed: u64 = notification.alerts.iter().map(|l| l.count).sum();
        let events = notification.events.saturating_sub(listed);
        let mut params = common(notification.severity, events);
        params.push(("omitted".into(), notification.omitted_alerts.to_string()));
        let msg = if notification.alerts.is_empty() {
            notification.title()
        } else {
            format!(
                "… {} more alerts ({events} events) not listed",
                notification.omitted_alerts
            )
        };
        let sd = vec![SdElement {
            id: SD_ID.into(),
            params,
        }];
        out.push(record(notification.severity, NILVALUE, sd, msg));
    }
    out
}

/// MSGID: the event kind (already ASCII snake case; made safe anyway).
fn msgid_of(kind: &str) -> &str {
    if !kind.is_empty() && kind.len() <= 32 && kind.bytes().all(|b| b.is_ascii_graphic()) {
        kind
    } else {
        NILVALUE
    }
}

fn engine_name(engine: clawguard_event::Engine) -> String {
    serde_json::to_value(engine)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| NILVALUE.to_string())
}

/// The formatted messages of one notification, each within `max_bytes`.
pub fn messages(
    notification: &Notification,
    facility: u8,
    procid: Option<u32>,
    max_bytes: usize,
) -> Vec<Vec<u8>> {
    records(notification, facility, procid)
        .iter()
        .map(|r| format(r, max_bytes))
        .collect()
}

/// RFC 6587 octet-counting frame: `MSG-LEN SP SYSLOG-MSG`.
pub fn octet_frame(message: &[u8]) -> Vec<u8> {
    let mut frame = format!("{} ", message.len()).into_bytes();
    frame.extend_from_slice(message);
    frame
}

/// Where a syslog sink sends.
#[derive(Debug)]
enum Target {
    Local(PathBuf),
    Udp(String, u16),
    Tcp(String, u16),
    Tls {
        host: String,
        port: u16,
        config: Arc<rustls::ClientConfig>,
        name: ServerName<'static>,
    },
}

/// A built syslog sink.
#[derive(Debug)]
pub struct Syslog {
    target: Target,
    facility: u8,
    timeout: Duration,
}

/// `host:port`, `[v6]:port`, `host` or a bare IPv6 address.
pub fn parse_address(address: &str, default_port: u16) -> Result<(String, u16), String> {
    let bad = || format!("address {address:?}: not host:port");
    let (host, port) = if let Some(rest) = address.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(bad)?;
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':').ok_or_else(bad)?)),
        }
    } else if address.matches(':').count() == 1 {
        let (host, port) = address.split_once(':').ok_or_else(bad)?;
        (host, Some(port))
    } else {
        (address, None)
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(bad());
    }
    let port = match port {
        None => default_port,
        Some(p) => match p.parse::<u16>() {
            Ok(p) if p > 0 => p,
            _ => return Err(format!("address {address:?}: bad port {p:?}")),
        },
    };
    Ok((host.to_string(), port))
}

impl Syslog {
    pub fn build(config: &SinkConfig) -> Result<Syslog, AlertError> {
        let bad = |message: String| AlertError::Sink {
            sink: config.name.clone(),
            message,
        };
        let facility = match &config.facility {
            None => DEFAULT_FACILITY,
            Some(name) => facility_code(name)
                .ok_or_else(|| bad(format!("facility {name:?} is not a syslog facility")))?,
        };
        let transport = config.transport.unwrap_or(SyslogTransport::Local);
        let network = |default_port| match &config.address {
            Some(a) => parse_address(a, default_port).map_err(bad),
            None => Err(bad("a network syslog sink needs address".into())),
        };
        let target = match transport {
            SyslogTransport::Local => Target::Local(PathBuf::from(
                config.address.as_deref().unwrap_or(DEFAULT_LOCAL_SOCKET),
            )),
            SyslogTransport::Udp => {
                let (host, port) = network(DEFAULT_PORT)?;
                Target::Udp(host, port)
            }
            SyslogTransport::Tcp => {
                let (host, port) = network(DEFAULT_PORT)?;
                Target::Tcp(host, port)
            }
            SyslogTransport::Tls => {
                let (host, port) = network(DEFAULT_TLS_PORT)?;
                let extra = match &config.ca_file {
                    Some(path) => super::ca::read_ca_file(&config.name, path)?,
                    None => Vec::new(),
                };
                let config_tls = super::ca::client_config(&config.name, &extra)?;
                let name = ServerName::try_from(host.clone())
                    .map_err(|e| bad(format!("address {host:?}: {e}")))?;
                Target::Tls {
                    host,
                    port,
                    config: config_tls,
                    name,
                }
            }
        };
        if config.ca_file.is_some() && transport != SyslogTransport::Tls {
            return Err(bad("ca_file is only used with transport = \"tls\"".into()));
        }
        Ok(Syslog {
            target,
            facility,
            timeout: Duration::from_millis(config.timeout.as_ms().max(1) as u64),
        })
    }

    pub async fn send(&self, notification: &Notification) -> Outcome {
        let max = match self.target {
            Target::Udp(..) => MAX_UDP_BYTES,
            _ => MAX_STREAM_BYTES,
        };
        let messages = messages(notification, self.facility, Some(std::process::id()), max);
        match tokio::time::timeout(self.timeout, self.send_messages(&messages)).await {
            Ok(Ok(())) => Outcome::Delivered,
            Ok(Err(e)) => Outcome::Retry {
                after: None,
                error: format!("syslog {}: {e}", self.describe()),
            },
            Err(_) => Outcome::Retry {
                after: None,
                error: format!(
                    "syslog {}: timed out after {:?}",
                    self.describe(),
                    self.timeout
                ),
            },
        }
    }

    fn describe(&self) -> String {
        match &self.target {
            Target::Local(path) => format!("local {}", path.display()),
            Target::Udp(h, p) => format!("udp {h}:{p}"),
            Target::Tcp(h, p) => format!("tcp {h}:{p}"),
            Target::Tls { host, port, .. } => format!("tls {host}:{port}"),
        }
    }

    async fn send_messages(&self, messages: &[Vec<u8>]) -> std::io::Result<()> {
        match &self.target {
            Target::Local(path) => {
                let socket = tokio::net::UnixDatagram::unbound()?;
                for message in messages {
                    socket.send_to(message, path).await?;
                }
                Ok(())
            }
            Target::Udp(host, port) => {
                let addr = resolve(host, *port).await?;
                let local: std::net::SocketAddr = if addr.is_ipv4() {
                    (std::net::Ipv4Addr::UNSPECIFIED, 0).into()
                } else {
                    (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
                };
                let socket = tokio::net::UdpSocket::bind(local).await?;
                // Connected, so an ICMP "port unreachable" comes back as an error.
                socket.connect(addr).await?;
                for message in messages {
                    socket.send(message).await?;
                }
                Ok(())
            }
            Target::Tcp(host, port) => {
                let stream = tokio::net::TcpStream::connect(resolve(host, *port).await?).await?;
                write_frames_and_close(stream, messages).await
            }
            Target::Tls {
                host,
                port,
                config,
                name,
            } => {
                let tcp = tokio::net::TcpStream::connect(resolve(host, *port).await?).await?;
                let connector = tokio_rustls::TlsConnector::from(Arc::clone(config));
                let stream = connector.connect(name.clone(), tcp).await?;
                write_frames_and_close(stream, messages).await
            }
        }
    }
}

async fn resolve(host: &str, port: u16) -> std::io::Result<std::net::SocketAddr> {
    tokio::net::lookup_host((host, port))
        .await?
        .next()
        .ok_or_else(|| std::io::Error::other(format!("{host}: no address")))
}

/// Write every message octet-counted, close our side and wait until the
/// receiver closes too: only then has it read everything (a write alone
/// only reached our kernel's buffer).
async fn write_frames_and_close(
    mut stream: impl AsyncRead + AsyncWrite + Unpin,
    messages: &[Vec<u8>],
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    for message in messages {
        buffer.extend_from_slice(&octet_frame(message));
    }
    stream.write_all(&buffer).await?;
    stream.flush().await?;
    stream.shutdown().await?;
    // Receivers send nothing; what they might send is read and dropped,
    // a bounded amount at a time, until they close.
    let mut sink = [0u8; 1024];
    loop {
        match stream.read(&mut sink).await {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            // A TLS peer that closes without close_notify has still read all.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use clawguard_event::Engine;

    use super::*;
    use crate::AlertLine;

    fn line(kind: &str, severity: Severity, count: u64) -> AlertLine {
        AlertLine {
            fingerprint: "0123456789abcdef".into(),
            kind: kind.into(),
            engine: Engine::Ban,
            severity,
            summary: "banned 192.0.2.7 in sshd".into(),
            labels: BTreeMap::from([
                ("jail".to_string(), "sshd".to_string()),
                ("target".to_string(), "192.0.2.7".to_string()),
            ]),
            count,
            first_ms: 0,
            last_ms: 0,
            repeat: false,
            samples: Vec::new(),
        }
    }

    fn notification(alerts: Vec<AlertLine>, omitted: u64, events: u64) -> Notification {
        Notification {
            id: 42,
            sink: "siem".into(),
            group_key: "engine=ban,kind=banned".into(),
            group_labels: BTreeMap::new(),
            severity: Severity::High,
            host: "host1.example".into(),
            created_ms: 1_796_626_350_123,
            alerts,
            omitted_alerts: omitted,
            events,
            first_ms: 0,
            last_ms: 0,
            test: false,
        }
    }

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).unwrap()
    }

    #[test]
    fn pri_is_facility_times_eight_plus_the_mapped_severity() {
        assert_eq!(syslog_severity(Severity::Critical), 2);
        assert_eq!(syslog_severity(Severity::High), 3);
        assert_eq!(syslog_severity(Severity::Medium), 4);
        assert_eq!(syslog_severity(Severity::Low), 5);
        assert_eq!(syslog_severity(Severity::Info), 6);
        assert_eq!(pri(10, Severity::High), 83); // authpriv.err
        assert_eq!(pri(0, Severity::Critical), 2);
        assert_eq!(pri(23, Severity::Info), 190); // local7.info
    }

    #[test]
    fn timestamp_is_rfc3339_utc_with_milliseconds() {
        assert_eq!(timestamp(1_796_626_350_123), "2026-12-07T06:52:30.123Z");
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(timestamp(5), "1970-01-01T00:00:00.005Z");
        assert_eq!(timestamp(i64::MAX), "-");
        assert_eq!(timestamp(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(timestamp(-62_167_219_200_001), "-"); // year -1
    }

    #[test]
    fn header_fields_are_printable_ascii_bounded_or_nil() {
        assert_eq!(header_field("host1.example", 255), "host1.example");
        assert_eq!(header_field("", 255), "-");
        assert_eq!(header_field("a b\u{e9}\n", 255), "a_b__");
        assert_eq!(header_field(&"x".repeat(300), 255).len(), 255);
        assert_eq!(msgid_of("banned"), "banned");
        assert_eq!(msgid_of(&"k".repeat(33)), "-");
        assert_eq!(msgid_of("two words"), "-");
    }

    #[test]
    fn sd_names_and_param_values_follow_rfc5424() {
        assert_eq!(sd_name("jail"), "jail");
        assert_eq!(sd_name("a=b c]d\"e"), "a_b_c_d_e");
        assert_eq!(sd_name(""), "_");
        assert_eq!(sd_name(&"n".repeat(40)).len(), 32);
        assert_eq!(escape_param_value(r#"a"b\c]d"#), r#"a\"b\\c\]d"#);
        assert_eq!(escape_param_value("line\nbreak"), "line break");
        assert_eq!(escape_param_value("é[ok]"), "é[ok\\]");
    }

    #[test]
    fn a_message_has_every_field_in_order() {
        let n = notification(vec![line("banned", Severity::High, 3)], 0, 3);
        let got = messages(&n, 10, Some(1234), MAX_STREAM_BYTES);
        assert_eq!(got.len(), 1);
        let want = "<83>1 2026-12-07T06:52:30.123Z host1.example clawguard 1234 banned \
             [clawguard@32473 id=\"42\" severity=\"high\" events=\"3\" \
             group=\"engine=ban,kind=banned\" fingerprint=\"0123456789abcdef\" engine=\"ban\"]\
             [labels@32473 jail=\"sshd\" target=\"192.0.2.7\"] \u{feff}banned 192.0.2.7 in sshd (3 events)";
        assert_eq!(text(&got[0]), want);
    }

    #[test]
    fn unknown_header_fields_are_nilvalue() {
        let record = Record {
            facility: 1,
            severity: Severity::Info,
            timestamp_ms: i64::MIN,
            hostname: String::new(),
            procid: None,
            msgid: String::new(),
            structured_data: Vec::new(),
            msg: String::new(),
        };
        assert_eq!(text(&format(&record, 2048)), "<14>1 - - clawguard - - -");
    }

    #[test]
    fn omitted_alerts_get_a_message_and_the_counts_add_up() {
        let n = notification(
            vec![
                line("banned", Severity::High, 3),
                line("banned", Severity::Medium, 2),
            ],
            7,
            40,
        );
        let records = records(&n, 10, None);
        assert_eq!(records.len(), 3);
        let events: u64 = records
            .iter()
            .map(|r| {
                let (_, v) = r.structured_data[0]
                    .params
                    .iter()
                    .find(|(k, _)| k == "events")
                    .unwrap();
                v.parse::<u64>().unwrap()
            })
            .sum();
        assert_eq!(events, 40);
        assert_eq!(records[1].severity, Severity::Medium);
        let last = text(&format(&records[2], 2048)).to_string();
        assert!(last.contains(" - [clawguard@32473 id=\"42\""), "{last}");
        assert!(last.contains("omitted=\"7\""), "{last}");
        assert!(
            last.ends_with("… 7 more alerts (35 events) not listed"),
            "{last}"
        );
    }

    #[test]
    fn hostile_text_stays_within_the_datagram_and_one_line() {
        let mut hostile = line("log_matched", Severity::Critical, 1);
        hostile.summary = format!("é{}\n<13>1 forged\r\n", "€".repeat(3000));
        hostile.samples = vec!["😀".repeat(600); 5];
        hostile.labels = (0..40)
            .map(|i| (format!("k{i}=\"]"), format!("v]\"\\{}", "x".repeat(400))))
            .collect();
        let mut n = notification(vec![hostile], 0, 1);
        n.host = "h".repeat(1000);
        n.group_key = "g".repeat(5000);
        for max in [MAX_UDP_BYTES, MAX_STREAM_BYTES, 480] {
            for m in messages(&n, 10, Some(u32::MAX), max) {
                assert!(m.len() <= max, "{} > {max}", m.len());
                let s = std::str::from_utf8(&m).expect("never splits a character");
                assert!(!s.contains('\n') && !s.contains('\r'));
                assert!(s.starts_with("<82>1 "));
                if max >= MAX_UDP_BYTES {
                    assert!(s.ends_with('…'), "MSG cut with a mark");
                    assert!(s.contains(" \u{feff}é€"), "MSG kept as far as it fits");
                }
            }
        }
    }

    #[test]
    fn octet_counting_frames_count_bytes() {
        assert_eq!(
            octet_frame("<14>1 é".as_bytes()),
            b"8 <14>1 \xc3\xa9".to_vec()
        );
    }

    #[test]
    fn build_errors_name_the_sink_and_the_problem() {
        let mut config = SinkConfig::journal("siem");
        config.kind = clawguard_config::SinkType::Syslog;
        config.transport = Some(SyslogTransport::Udp);
        config.address = Some("127.0.0.1:notaport".into());
        let err = Syslog::build(&config).unwrap_err().to_string();
        assert!(
            err.contains("sink siem") && err.contains("notaport"),
            "{err}"
        );
        config.address = Some("127.0.0.1:514".into());
        config.ca_file = Some("/etc/ssl/certs/ca-certificates.crt".into());
        let err = Syslog::build(&config).unwrap_err().to_string();
        assert!(err.contains("ca_file"), "{err}");
        config.ca_file = None;
        config.facility = Some("nonsense".into());
        let err = Syslog::build(&config).unwrap_err().to_string();
        assert!(err.contains("nonsense"), "{err}");
        config.facility = None;
        config.transport = None;
        config.address = None;
        let local = Syslog::build(&config).unwrap();
        assert_eq!(local.describe(), "local /dev/log");
        assert_eq!(local.facility, 10);
    }

    #[test]
    fn addresses_parse_with_default_ports() {
        assert_eq!(
            parse_address("127.0.0.1:5514", 514).unwrap(),
            ("127.0.0.1".into(), 5514)
        );
        assert_eq!(
            parse_address("logs.example", 6514).unwrap(),
            ("logs.example".into(), 6514)
        );
        assert_eq!(
            parse_address("[2001:db8::1]:601", 514).unwrap(),
            ("2001:db8::1".into(), 601)
        );
        assert_eq!(
            parse_address("2001:db8::1", 514).unwrap(),
            ("2001:db8::1".into(), 514)
        );
        assert!(parse_address("host:0", 514).is_err());
        assert!(parse_address("host:x", 514).is_err());
        assert!(parse_address(":514", 514).is_err());
        assert!(parse_address("[::1", 514).is_err());
    }
}
