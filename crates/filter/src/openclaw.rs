//! The built-in `openclaw-gateway` filter for the gateway's JSON-lines log.
//!
//! Failures are the gateway's own auth rejections, and only records of its
//! WebSocket logger count: subsystem `gateway/ws` (binding in key `"0"`),
//! with the rejection text as the record's one message argument, never text
//! quoted in another field or written by another logger:
//! - `unauthorized conn=… [peer=…] remote=… client=… … reason=<reason>[ guidance=…][ suppressed=N]`
//!   for the reasons in [`is_failure_reason`];
//! - `closed before connect conn=… [peer=…] remote=… fwd=… origin=… host=… ua=… code=1008 reason=<text>[ phase=…][ suppressed=N]`
//!   for close texts in [`is_failure_close_text`].
//!
//! Several fields (`peer`, `client`, `host`, `origin`, `ua`, `fwd`, …) are
//! attacker-controlled and may contain spaces and fake `remote=` fields. The
//! address is therefore taken only when it is unambiguous: the structured
//! context object of `closed before connect` lines (`remoteAddr`,
//! `forwardedFor`) when present, otherwise a `remote=` field that occurs
//! exactly once in its structural shape (followed by `client=`, `fwd=` or
//! `code=`). A line with more than one candidate is counted for nobody —
//! injected text can hide at most that one line (the twin line of the same
//! connection still counts) but can never frame another address. Fake
//! `reason=`/`code=` text only ever counts against the sender's own address.
//!
//! `fwd=` is used only when `remote` is a trusted proxy, walking the
//! forwarded list from the right past trusted hops to the first other hop.
//! A hop that does not parse, or a loopback hop, ends the walk with no
//! failure: entries to its left were not written by our proxies.
//!
//! One connection logs both an `unauthorized` and a `closed before connect`
//! line; a bounded set of recently counted connection ids stops it counting
//! twice.

use std::collections::{HashSet, VecDeque};
use std::net::IpAddr;

use ipnet::IpNet;
use serde_json::{Map, Value};

use crate::{Failure, LineKind, LineResult};

/// Lines longer than this many bytes are not parsed (they are `Missed`).
pub const MAX_GATEWAY_LINE_BYTES: usize = 64 * 1024;
/// How many counted connection ids are remembered to avoid double counting.
pub const RECENT_CONN_IDS: usize = 4096;
/// Largest `suppressed=N` honoured; larger values are cut to it.
pub const MAX_SUPPRESSED: u32 = 100_000;
/// Connection ids longer than this are not remembered (gateway ids are UUIDs).
const MAX_CONN_ID_BYTES: usize = 128;
/// Most numbered keys (`"0"`, `"1"`, …) looked at per line.
const MAX_NUMBERED_KEYS: usize = 16;

/// The subsystem of the gateway's WebSocket logger (`logWsControl`).
const GATEWAY_WS: &str = "gateway/ws";
const UNAUTHORIZED: &str = "unauthorized conn=";
const CLOSED: &str = "closed before connect conn=";

/// Whether an `unauthorized … reason=<reason>` value is an attack signal.
/// Server misconfiguration (`*_missing_config`) and `unknown` are not.
pub fn is_failure_reason(reason: &str) -> bool {
    matches!(
        reason,
        "token_mismatch"
            | "token_missing"
            | "password_mismatch"
            | "password_missing"
            | "device_token_mismatch"
            | "rate_limited"
    ) || ((reason.starts_with("tailscale_") || reason.starts_with("trusted_proxy_"))
        && !reason.ends_with("_config"))
}

/// Whether a WS close text (after `code=1008 reason=`) is an attack signal.
/// `pairing required` and `device identity required` are normal for new or
/// misconfigured clients and are not.
pub fn is_failure_close_text(text: &str) -> bool {
    if text.starts_with("unauthorized") {
        return !text.contains("not configured");
    }
    [
        "device signature",
        "device nonce",
        "device identity mismatch",
        "device public key",
        "origin not allowed",
    ]
    .iter()
    .any(|prefix| text.starts_with(prefix))
}

/// Connection ids counted recently, oldest first.
#[derive(Debug, Default)]
struct RecentConns {
    order: VecDeque<String>,
    set: HashSet<String>,
}

impl RecentConns {
    fn contains(&self, id: &str) -> bool {
        self.set.contains(id)
    }

    fn insert(&mut self, id: &str) {
        if id.len() > MAX_CONN_ID_BYTES || self.set.contains(id) {
            return;
        }
        if self.order.len() >= RECENT_CONN_IDS
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        self.order.push_back(id.to_string());
        self.set.insert(id.to_string());
    }
}

/// The `openclaw-gateway` filter. Keeps a little state (recent connection
/// ids), so use one instance per log stream.
#[derive(Debug, Default)]
pub struct GatewayFilter {
    trusted_proxies: Vec<IpNet>,
    recent: RecentConns,
}

/// What a gateway line says, before de-duplication.
struct Rejection<'a> {
    conn: &'a str,
    /// `None`: the client address is unknown, ambiguous, loopback, or a
    /// trusted proxy without a usable forwarded address.
    addr: Option<IpAddr>,
    count: u32,
}

impl GatewayFilter {
    /// A filter that trusts `fwd=` only from `trusted_proxies`
    /// (OpenClaw's `gateway.trustedProxies`).
    pub fn new(trusted_proxies: Vec<IpNet>) -> GatewayFilter {
        GatewayFilter {
            trusted_proxies,
            recent: RecentConns::default(),
        }
    }

    /// Classifies one log line (without or with its trailing newline).
    pub fn process_line(&mut self, line: &[u8]) -> LineResult {
        let missed = |time_ms| LineResult {
            kind: LineKind::Missed,
            time_ms,
            failures: Vec::new(),
        };
        if line.len() > MAX_GATEWAY_LINE_BYTES {
            return missed(None);
        }
        // serde_json rejects invalid UTF-8 and nesting deeper than 128.
        let Ok(Value::Object(record)) = serde_json::from_slice::<Value>(line) else {
            return missed(None);
        };
        let time_ms = record_time_ms(&record);
        let Some(ws) = gateway_ws_message(&record) else {
            return missed(time_ms);
        };
        let rejection = if let Some(rest) = ws.message.strip_prefix(UNAUTHORIZED) {
            self.unauthorized(ws.message, rest)
        } else if let Some(rest) = ws.message.strip_prefix(CLOSED) {
            self.closed_before_connect(ws.message, rest, ws.context)
        } else {
            None
        };
        let Some(rejection) = rejection else {
            return missed(time_ms);
        };
        let mut result = LineResult {
            kind: LineKind::Matched,
            time_ms,
            failures: Vec::new(),
        };
        if self.recent.contains(rejection.conn) {
            return result;
        }
        if let Some(addr) = rejection.addr {
            self.recent.insert(rejection.conn);
            result.failures.push(Failure {
                addr,
                count: rejection.count,
                user: None,
            });
        }
        result
    }

    fn unauthorized<'a>(&self, message: &'a str, rest: &'a str) -> Option<Rejection<'a>> {
        let conn = leading_token(rest)?;
        // Fake `reason=` text can only come from the client itself, so any
        // failing reason counts (against the structurally found address).
        let failing = field_values(message, " reason=").any(is_failure_reason);
        if !failing {
            return None;
        }
        let remote = unique_field(message, " remote=", &[" client="]);
        Some(Rejection {
            conn,
            addr: remote.and_then(|r| self.client_addr(r, None)),
            count: 1 + trailing_suppressed(message),
        })
    }

    fn closed_before_connect<'a>(
        &self,
        message: &'a str,
        rest: &'a str,
        context: Option<&'a Map<String, Value>>,
    ) -> Option<Rejection<'a>> {
        let conn = leading_token(rest)?;
        let failing = message
            .match_indices(" code=1008 reason=")
            .any(|(at, m)| is_failure_close_text(&message[at + m.len()..]));
        if !failing {
            return None;
        }
        if defers_to_unauthorized_line(message, context) {
            return Some(Rejection {
                conn,
                addr: None,
                count: 0,
            });
        }
        let context_remote = context
            .and_then(|c| c.get("remoteAddr"))
            .and_then(Value::as_str);
        let addr = match context_remote {
            Some(remote) => {
                let fwd = context
                    .and_then(|c| c.get("forwardedFor"))
                    .and_then(Value::as_str);
                self.client_addr(remote, fwd)
            }
            None => unique_field(message, " remote=", &[" fwd=", " code="])
                .and_then(|remote| self.client_addr(remote, text_forwarded_for(message, remote))),
        };
        Some(Rejection {
            conn,
            addr,
            count: 1 + trailing_suppressed(message),
        })
    }

    fn is_trusted(&self, addr: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&addr))
    }

    /// The client behind `remote`: `remote` itself, or for a trusted proxy
    /// the client its forwarded list names ([`Self::forwarded_client`]).
    fn client_addr(&self, remote: &str, forwarded_for: Option<&str>) -> Option<IpAddr> {
        let remote = parse_client_addr(remote)?;
        let client = if self.is_trusted(remote) {
            self.forwarded_client(forwarded_for?)?
        } else {
            remote
        };
        (!client.is_loopback()).then_some(client)
    }

    /// Walks a forwarded list (`X-Forwarded-For`) from the right past
    /// trusted proxies to the first other hop. Only the hops our proxies
    /// wrote can be believed: a hop that does not parse, or a loopback hop,
    /// means the chain past it is not ours to read, so the walk ends there
    /// without a client rather than blaming an address further left.
    fn forwarded_client(&self, forwarded_for: &str) -> Option<IpAddr> {
        for hop in forwarded_for.rsplit(',') {
            let hop = parse_client_addr(hop)?;
            if hop.is_loopback() {
                return None;
            }
            if !self.is_trusted(hop) {
                return Some(hop);
            }
        }
        None
    }
}

/// Whether a `closed before connect` line is for a missing token or
/// password. The gateway throttles those with two limiters, one per line
/// kind, each with its own window and ` suppressed=N`; their decisions can
/// differ by the milliseconds between the lines, so counting both kinds
/// would count some failures twice. The `unauthorized` line, logged first
/// for every such failure and carrying its own suppressed count, is the one
/// that counts. The reason comes from the context object (written by the
/// gateway) or else from the last ` code=1008 reason=` (after `ua=`, so
/// client text cannot fake it).
fn defers_to_unauthorized_line(message: &str, context: Option<&Map<String, Value>>) -> bool {
    if let Some(reason) = context
        .and_then(|c| c.get("authReason"))
        .and_then(Value::as_str)
    {
        return matches!(reason, "token_missing" | "password_missing");
    }
    let marker = " code=1008 reason=";
    message.rfind(marker).is_some_and(|at| {
        let text = &message[at + marker.len()..];
        text.starts_with("unauthorized: gateway token missing")
            || text.starts_with("unauthorized: gateway password missing")
    })
}

/// The text up to the first space, if non-empty and followed by a space.
fn leading_token(text: &str) -> Option<&str> {
    let (token, _) = text.split_once(' ')?;
    (!token.is_empty()).then_some(token)
}

/// Every value of `key` (e.g. `" reason="`), each up to the next space.
fn field_values<'a>(text: &'a str, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    text.match_indices(key).map(move |(at, m)| {
        let value = &text[at + m.len()..];
        value.split(' ').next().unwrap_or("")
    })
}

/// The value of `key` when exactly one occurrence has a space-free value
/// followed directly by one of `next`; `None` when absent or ambiguous.
fn unique_field<'a>(text: &'a str, key: &str, next: &[&str]) -> Option<&'a str> {
    let mut found = None;
    for (at, m) in text.match_indices(key) {
        let tail = &text[at + m.len()..];
        let end = tail.find(' ').unwrap_or(tail.len());
        let (value, after) = tail.split_at(end);
        if !value.is_empty() && next.iter().any(|n| after.starts_with(n)) {
            if found.is_some() {
                return None;
            }
            found = Some(value);
        }
    }
    found
}

/// The `fwd=` text that follows the (unique) `remote=<remote> fwd=`, up to
/// ` origin=`; `None` when absent or when ` origin=` is ambiguous.
fn text_forwarded_for<'a>(message: &'a str, remote: &str) -> Option<&'a str> {
    let marker = format!(" remote={remote} fwd=");
    let at = message.find(&marker)?;
    let tail = &message[at + marker.len()..];
    let mut origins = tail.match_indices(" origin=");
    match (origins.next(), origins.next()) {
        (Some((end, _)), None) => Some(&tail[..end]),
        (None, _) => Some(tail.split(' ').next().unwrap_or("")),
        (Some(_), Some(_)) => None,
    }
}

/// `N` from a message ending in ` suppressed=N` (the gateway's log throttle),
/// capped at [`MAX_SUPPRESSED`]; 0 otherwise.
fn trailing_suppressed(message: &str) -> u32 {
    let Some(at) = message.rfind(" suppressed=") else {
        return 0;
    };
    let digits = &message[at + " suppressed=".len()..];
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    digits
        .parse::<u64>()
        .map_or(0, |n| n.min(u64::from(MAX_SUPPRESSED)) as u32)
}

/// Parses a socket or forwarded address: IPv4, IPv6 (optionally in brackets,
/// with a port after the bracket, or with a `%zone`), `::ffff:` mapped IPv4
/// normalised. `?`, `n/a` and anything else give `None`.
fn parse_client_addr(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    let bare = if let Some(inner) = text.strip_prefix('[') {
        inner.split_once(']')?.0
    } else if text.matches(':').count() == 1 {
        // IPv4 with a port.
        text.split_once(':')?.0
    } else {
        text
    };
    let bare = bare.split('%').next().unwrap_or(bare);
    bare.parse::<IpAddr>().ok().map(|a| a.to_canonical())
}

/// The one log message of a gateway WebSocket record, and its context object.
struct WsMessage<'a> {
    message: &'a str,
    context: Option<&'a Map<String, Value>>,
}

/// The message of a record written by the gateway's `gateway/ws` logger, or
/// `None` for any other record.
///
/// That logger writes its binding `{"subsystem":"gateway/ws"}` as `"0"`,
/// then an optional context object, then the message string last (OpenClaw
/// `logToFile`: `(meta, message)` or `(message)`). Text from another logger,
/// or a second string argument, is never taken for the gateway's own
/// message; a top-level `message` (newer builds) must agree with it.
fn gateway_ws_message(record: &Map<String, Value>) -> Option<WsMessage<'_>> {
    let numbered = numbered_values(record)?;
    let (&(0, binding), args) = numbered.split_first()? else {
        return None;
    };
    if !is_gateway_ws_binding(binding) {
        return None;
    }
    let mut strings = args.iter().filter(|(_, v)| v.is_string());
    let argument = match (strings.next(), strings.next()) {
        (Some((n, message)), None) => {
            // The message is the last argument; anything after it is not ours.
            if args.last().map(|(last, _)| last) != Some(n) {
                return None;
            }
            message.as_str()
        }
        (None, _) => None,
        (Some(_), Some(_)) => return None,
    };
    let top_level = record.get("message").map(Value::as_str);
    let message = match (argument, top_level) {
        (Some(argument), None) => argument,
        (Some(argument), Some(Some(top))) if top == argument => argument,
        (None, Some(Some(top))) => top,
        _ => return None,
    };
    let context = args
        .iter()
        .filter_map(|(_, v)| v.as_object())
        .find(|o| o.contains_key("remoteAddr"));
    Some(WsMessage { message, context })
}

/// Whether `"0"` is the binding of the `gateway/ws` subsystem logger: a JSON
/// string holding an object whose `subsystem` is `gateway/ws`.
fn is_gateway_ws_binding(value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    serde_json::from_str::<Map<String, Value>>(text)
        .is_ok_and(|binding| binding.get("subsystem").and_then(Value::as_str) == Some(GATEWAY_WS))
}

/// The numbered keys (`"0"`, `"1"`, …) with their values, in numeric order;
/// `None` when there are more than [`MAX_NUMBERED_KEYS`] (no gateway record
/// has that many, and a cut list could hide the real last argument).
fn numbered_values(record: &Map<String, Value>) -> Option<Vec<(u32, &Value)>> {
    let mut numbered: Vec<(u32, &Value)> = Vec::new();
    for (key, value) in record {
        let numeric = !key.is_empty() && key.len() <= 4 && key.bytes().all(|b| b.is_ascii_digit());
        if let Some(n) = numeric.then(|| key.parse().ok()).flatten() {
            if numbered.len() == MAX_NUMBERED_KEYS {
                return None;
            }
            numbered.push((n, value));
        }
    }
    numbered.sort_by_key(|(n, _)| *n);
    Some(numbered)
}

/// Log time: top-level `time` (local time with offset), else `_meta.date` (UTC).
fn record_time_ms(record: &Map<String, Value>) -> Option<i64> {
    let top = record
        .get("time")
        .and_then(Value::as_str)
        .and_then(parse_iso8601_ms);
    top.or_else(|| {
        record
            .get("_meta")
            .and_then(|m| m.get("date"))
            .and_then(Value::as_str)
            .and_then(parse_iso8601_ms)
    })
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±HH:MM|±HHMM]` (no zone = UTC) to
/// Unix epoch milliseconds.
fn parse_iso8601_ms(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        if part.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(part).ok()?.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let digits = &text[start..i];
        if digits.is_empty() || digits.len() > 9 {
            return None;
        }
        let first3: String = digits.chars().chain("00".chars()).take(3).collect();
        millis = first3.parse().ok()?;
    }
    let offset_min = match b.get(i) {
        None => 0,
        Some(b'Z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) => {
            let rest = &text[i + 1..];
            let (h, m) = match rest.len() {
                5 if rest.as_bytes()[2] == b':' => (&rest[0..2], &rest[3..5]),
                4 => (&rest[0..2], &rest[2..4]),
                _ => return None,
            };
            let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            let total = h * 60 + m;
            if *sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_min * 60;
    Some(seconds * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const T_MS: i64 = 1_773_428_832_138; // 2026-03-13T19:07:12.138Z
    const CONN: &str = "1a8ab0ce-3473-40b3-b945-99815e08b995";

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    fn unauthorized(peer: &str, remote: &str, ua: &str, reason: &str, tail: &str) -> String {
        format!(
            "unauthorized conn={CONN} peer={peer} remote={remote} client=openclaw-control-ui webchat v2026.3.2 \
             role=operator scopes=3 auth=token device=no platform=linux instance=n/a \
             host=gw.example:18789 origin=https://gw.example ua={ua} reason={reason}{tail}"
        )
    }

    fn closed(conn: &str, remote: &str, fwd: &str, ua: &str, code: &str, reason: &str) -> String {
        format!(
            "closed before connect conn={conn} peer={remote}:50412->10.0.0.5:18789 remote={remote} fwd={fwd} \
             origin=n/a host=gw.example:18789 ua={ua} code={code} reason={reason}"
        )
    }

    /// A tslog record: subsystem in "0", optional context object, message last.
    fn record(message: &str, context: Option<Value>) -> Vec<u8> {
        let mut obj = json!({
            "0": "{\"subsystem\":\"gateway/ws\"}",
            "_meta": {"date": "2026-03-13T19:07:12.138Z", "logLevelName": "WARN", "name": "openclaw"},
            "time": "2026-03-13T14:07:12.138-05:00",
        });
        match context {
            Some(ctx) => {
                obj["1"] = ctx;
                obj["2"] = json!(message);
            }
            None => obj["1"] = json!(message),
        }
        serde_json::to_vec(&obj).expect("serialises")
    }

    fn failures(filter: &mut GatewayFilter, line: &[u8]) -> Vec<(IpAddr, u32)> {
        filter
            .process_line(line)
            .failures
            .into_iter()
            .map(|f| (f.addr, f.count))
            .collect()
    }

    fn open() -> GatewayFilter {
        GatewayFilter::new(Vec::new())
    }

    #[test]
    fn unauthorized_token_mismatch_is_a_failure_with_log_time() {
        let line = record(
            &unauthorized(
                "203.0.113.9:50412",
                "203.0.113.9",
                "Mozilla/5.0 (X11; Linux)",
                "token_mismatch",
                "",
            ),
            None,
        );
        let result = open().process_line(&line);
        assert_eq!(result.kind, LineKind::Matched);
        assert_eq!(result.time_ms, Some(T_MS));
        assert_eq!(
            result.failures,
            vec![Failure {
                addr: ip("203.0.113.9"),
                count: 1,
                user: None
            }]
        );
    }

    #[test]
    fn every_failure_reason_counts_and_others_do_not() {
        for reason in [
            "token_mismatch",
            "token_missing",
            "password_mismatch",
            "password_missing",
            "device_token_mismatch",
            "rate_limited",
            "tailscale_user_missing",
            "tailscale_proxy_missing",
            "tailscale_whois_failed",
            "tailscale_user_mismatch",
            "trusted_proxy_user_missing",
        ] {
            let line = record(&unauthorized("p", "198.51.100.4", "ua", reason, ""), None);
            assert_eq!(
                failures(&mut open(), &line),
                vec![(ip("198.51.100.4"), 1)],
                "{reason}"
            );
        }
        for reason in [
            "token_missing_config",
            "password_missing_config",
            "unknown",
            "scope_mismatch",
        ] {
            let line = record(&unauthorized("p", "198.51.100.4", "ua", reason, ""), None);
            let result = open().process_line(&line);
            assert_eq!(result.kind, LineKind::Missed, "{reason}");
            assert!(result.failures.is_empty());
        }
    }

    #[test]
    fn older_format_without_peer_and_newest_with_guidance() {
        let old = format!(
            "unauthorized conn={CONN} remote=198.51.100.5 client=cli cli v2026.1.29 reason=password_mismatch"
        );
        assert_eq!(
            failures(&mut open(), &record(&old, None)),
            vec![(ip("198.51.100.5"), 1)]
        );
        let newest = unauthorized(
            "198.51.100.6:4411",
            "198.51.100.6",
            "curl/8.5.0",
            "token_missing",
            " guidance=unauthorized: gateway token missing (set gateway.remote.token) suppressed=4",
        );
        assert_eq!(
            failures(&mut open(), &record(&newest, None)),
            vec![(ip("198.51.100.6"), 5)]
        );
    }

    #[test]
    fn suppressed_counts_n_plus_one_and_is_capped() {
        let line = record(
            &unauthorized("p", "198.51.100.7", "ua", "token_missing", " suppressed=12"),
            None,
        );
        assert_eq!(failures(&mut open(), &line), vec![(ip("198.51.100.7"), 13)]);
        let huge = record(
            &unauthorized(
                "p",
                "198.51.100.7",
                "ua",
                "token_missing",
                " suppressed=99999999999",
            ),
            None,
        );
        assert_eq!(
            failures(&mut open(), &huge),
            vec![(ip("198.51.100.7"), 1 + MAX_SUPPRESSED)]
        );
        // Not at the end of the message: it is attacker text, not the throttle.
        let fake = record(
            &unauthorized(
                "p",
                "198.51.100.7",
                "x suppressed=500 y",
                "token_missing",
                "",
            ),
            None,
        );
        assert_eq!(failures(&mut open(), &fake), vec![(ip("198.51.100.7"), 1)]);
    }

    #[test]
    fn message_key_and_numbered_keys_are_both_read() {
        let text = unauthorized("p", "198.51.100.8", "ua", "token_mismatch", "");
        // Newer builds: top-level `message`, numbered keys shifted.
        let line = serde_json::to_vec(&json!({
            "0": "{\"subsystem\":\"gateway/ws\"}",
            "1": {"note": "extra"},
            "2": {"more": 1},
            "3": text,
            "message": text,
            "hostname": "gw",
            "time": "2026-03-13T19:07:12.138Z",
        }))
        .expect("json");
        assert_eq!(failures(&mut open(), &line), vec![(ip("198.51.100.8"), 1)]);
        // No top-level message, text in key "5".
        let line = serde_json::to_vec(&json!({"0": "{\"subsystem\":\"gateway/ws\"}", "5": text}))
            .expect("json");
        let result = open().process_line(&line);
        assert_eq!(result.failures.len(), 1);
        assert_eq!(result.time_ms, None);
    }

    #[test]
    fn time_falls_back_to_meta_date() {
        let text = unauthorized("p", "198.51.100.9", "ua", "token_mismatch", "");
        let line = serde_json::to_vec(&json!({
            "1": text,
            "_meta": {"date": "2026-03-13T19:07:12.138Z"},
            "time": "garbage",
        }))
        .expect("json");
        assert_eq!(open().process_line(&line).time_ms, Some(T_MS));
        assert_eq!(
            parse_iso8601_ms("2024-02-29T23:59:59Z"),
            Some(1_709_251_199_000)
        );
        assert_eq!(
            parse_iso8601_ms("2024-03-01T01:59:59+0200"),
            Some(1_709_251_199_000)
        );
        assert_eq!(
            parse_iso8601_ms("1969-12-31T00:00:00.000Z"),
            Some(-86_400_000)
        );
        assert_eq!(
            parse_iso8601_ms("2026-03-13T14:07:12.1385-05:00"),
            Some(T_MS)
        );
        for bad in [
            "",
            "2026-13-01T00:00:00Z",
            "2026-03-13",
            "2026-03-13T14:07:12+5",
            "2026-03-13T14:07:12.Z",
        ] {
            assert_eq!(parse_iso8601_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn closed_before_connect_1008_reasons() {
        let cases = [
            (
                "1008",
                "unauthorized: gateway token mismatch (set gateway.remote.token to match gateway.auth.token)",
                true,
            ),
            (
                "1008",
                "unauthorized: too many failed authentication attempts (retry later)",
                true,
            ),
            ("1008", "device nonce mismatch", true),
            ("1008", "device signature invalid", true),
            ("1008", "device identity mismatch", true),
            ("1008", "origin not allowed", true),
            ("1008", "pairing required", false),
            ("1008", "device identity required", false),
            (
                "1008",
                "unauthorized: gateway token not configured on gateway (set gateway.auth.token)",
                false,
            ),
            ("1000", "unauthorized: gateway token mismatch", false),
            ("1013", "gateway starting", false),
            ("n/a", "n/a", false),
        ];
        for (i, (code, reason, counted)) in cases.iter().enumerate() {
            let conn = format!("c-{i}");
            let line = record(
                &closed(
                    &conn,
                    "203.0.113.20",
                    "n/a",
                    "Dart/3.10 (dart:io)",
                    code,
                    reason,
                ),
                None,
            );
            let result = open().process_line(&line);
            if *counted {
                assert_eq!(result.kind, LineKind::Matched, "{reason}");
                assert_eq!(result.failures.len(), 1, "{reason}");
                assert_eq!(result.failures[0].addr, ip("203.0.113.20"));
            } else {
                assert_eq!(result.kind, LineKind::Missed, "{code} {reason}");
            }
        }
        // Oldest format: no peer, no fwd.
        let old =
            "closed before connect conn=abc remote=203.0.113.21 code=1008 reason=unauthorized";
        assert_eq!(
            failures(&mut open(), &record(old, None)),
            vec![(ip("203.0.113.21"), 1)]
        );
        // Newest: phase after the reason.
        let newest = format!(
            "{} phase=auth_credentials_received",
            closed(
                "c-new",
                "203.0.113.22",
                "n/a",
                "n/a",
                "1008",
                "device signature invalid"
            )
        );
        assert_eq!(
            failures(&mut open(), &record(&newest, None)),
            vec![(ip("203.0.113.22"), 1)]
        );
        // A missing credential: matched, but its `unauthorized` twin (with
        // its own suppressed count) is the line that counts.
        let missing = format!(
            "{} phase=auth_credentials_received suppressed=2",
            closed(
                "c-missing",
                "203.0.113.22",
                "n/a",
                "n/a",
                "1008",
                "unauthorized: gateway token missing (x)"
            )
        );
        let result = open().process_line(&record(&missing, None));
        assert_eq!(result.kind, LineKind::Matched);
        assert!(result.failures.is_empty());
    }

    #[test]
    fn one_connection_counts_once() {
        let mut filter = open();
        let first = record(
            &unauthorized("p", "203.0.113.30", "ua", "token_mismatch", ""),
            None,
        );
        let second = record(
            &closed(
                CONN,
                "203.0.113.30",
                "n/a",
                "ua",
                "1008",
                "unauthorized: gateway token mismatch",
            ),
            None,
        );
        assert_eq!(failures(&mut filter, &first).len(), 1);
        let twin = filter.process_line(&second);
        assert_eq!(twin.kind, LineKind::Matched);
        assert!(twin.failures.is_empty());
        // Another connection from the same address counts again.
        let other = record(
            &closed("other", "203.0.113.30", "n/a", "ua", "1008", "unauthorized"),
            None,
        );
        assert_eq!(failures(&mut filter, &other).len(), 1);
        // Reverse order is deduplicated too.
        let mut filter = open();
        assert_eq!(failures(&mut filter, &second).len(), 1);
        assert!(failures(&mut filter, &first).is_empty());
    }

    #[test]
    fn recent_connection_set_is_bounded() {
        let mut filter = open();
        let line = |conn: &str| {
            record(
                &closed(conn, "203.0.113.31", "n/a", "ua", "1008", "unauthorized"),
                None,
            )
        };
        assert_eq!(failures(&mut filter, &line("conn-0")).len(), 1);
        for i in 1..=RECENT_CONN_IDS {
            assert_eq!(failures(&mut filter, &line(&format!("conn-{i}"))).len(), 1);
        }
        assert_eq!(filter.recent.order.len(), RECENT_CONN_IDS);
        assert_eq!(filter.recent.set.len(), RECENT_CONN_IDS);
        // conn-0 was evicted, so it counts again.
        assert_eq!(failures(&mut filter, &line("conn-0")).len(), 1);
        // An absurdly long id is counted but not remembered.
        let long = "x".repeat(MAX_CONN_ID_BYTES + 1);
        assert_eq!(failures(&mut filter, &line(&long)).len(), 1);
        assert_eq!(failures(&mut filter, &line(&long)).len(), 1);
    }

    #[test]
    fn injected_remote_never_frames_another_address() {
        let innocent = ip("198.51.100.7");
        let attempts = [
            // peer with spaces and a fake remote/client pair
            unauthorized(
                "x remote=198.51.100.7 client=y",
                "203.0.113.40",
                "ua",
                "token_mismatch",
                "",
            ),
            // fake pair in the user agent
            unauthorized(
                "203.0.113.40:1",
                "203.0.113.40",
                "Mozilla remote=198.51.100.7 client=z",
                "token_mismatch",
                "",
            ),
            // fake full line tail in the user agent
            unauthorized(
                "p",
                "203.0.113.40",
                "a remote=198.51.100.7 client=b webchat v1 reason=token_mismatch",
                "token_mismatch",
                "",
            ),
        ];
        for text in &attempts {
            let result = open().process_line(&record(text, None));
            assert!(
                result.failures.iter().all(|f| f.addr != innocent),
                "framed by {text}"
            );
        }
        // Closing lines: fake fields in ua and fwd, no context object.
        for text in [
            closed(
                "c1",
                "203.0.113.41",
                "n/a",
                "x remote=198.51.100.7 fwd=n/a",
                "1008",
                "unauthorized",
            ),
            closed(
                "c2",
                "203.0.113.41",
                "1.2.3.4 remote=198.51.100.7 code=1008",
                "ua",
                "1008",
                "unauthorized",
            ),
        ] {
            let result = open().process_line(&record(&text, None));
            assert!(
                result.failures.iter().all(|f| f.addr != innocent),
                "framed by {text}"
            );
        }
        // A message that only mentions the phrase later is not a gateway rejection.
        let other = "webchat connected conn=abc ua=unauthorized conn=z remote=198.51.100.7 client=x reason=token_mismatch";
        assert_eq!(
            open().process_line(&record(other, None)).kind,
            LineKind::Missed
        );
    }

    #[test]
    fn context_object_resolves_injected_closing_lines() {
        let text = closed(
            "c3",
            "203.0.113.42",
            "n/a",
            "x remote=198.51.100.7 fwd=n/a",
            "1008",
            "unauthorized",
        );
        let context = json!({
            "cause": "unauthorized",
            "handshake": "failed",
            "durationMs": 12,
            "remoteAddr": "::ffff:203.0.113.42",
            "forwardedFor": null,
            "userAgent": "x remote=198.51.100.7 fwd=n/a",
        });
        assert_eq!(
            failures(&mut open(), &record(&text, Some(context))),
            vec![(ip("203.0.113.42"), 1)]
        );
    }

    #[test]
    fn fake_code_and_reason_only_count_against_the_sender() {
        let text = closed(
            "c4",
            "203.0.113.43",
            "n/a",
            "bot code=1008 reason=unauthorized",
            "1000",
            "n/a",
        );
        assert_eq!(
            failures(&mut open(), &record(&text, None)),
            vec![(ip("203.0.113.43"), 1)]
        );
        let text = unauthorized(
            "p",
            "203.0.113.43",
            "x reason=token_mismatch",
            "token_missing_config",
            "",
        );
        assert_eq!(
            failures(&mut open(), &record(&text, None)),
            vec![(ip("203.0.113.43"), 1)]
        );
    }

    #[test]
    fn mapped_and_ipv6_addresses() {
        let line = record(
            &unauthorized("p", "::ffff:203.0.113.50", "ua", "token_mismatch", ""),
            None,
        );
        assert_eq!(failures(&mut open(), &line), vec![(ip("203.0.113.50"), 1)]);
        let line = record(
            &unauthorized(
                "[2001:db8::5]:443",
                "2001:db8::5",
                "ua",
                "token_mismatch",
                "",
            ),
            None,
        );
        assert_eq!(failures(&mut open(), &line), vec![(ip("2001:db8::5"), 1)]);
        let line = record(
            &closed(
                "c5",
                "2001:db8:0:1::77",
                "n/a",
                "ua",
                "1008",
                "unauthorized",
            ),
            None,
        );
        assert_eq!(
            failures(&mut open(), &line),
            vec![(ip("2001:db8:0:1::77"), 1)]
        );
    }

    #[test]
    fn loopback_and_unknown_remote_yield_no_failure() {
        for remote in ["127.0.0.1", "::1", "::ffff:127.0.0.1", "?", "not-an-ip"] {
            let result = open().process_line(&record(
                &unauthorized("p", remote, "ua", "token_mismatch", ""),
                None,
            ));
            assert_eq!(result.kind, LineKind::Matched, "{remote}");
            assert!(result.failures.is_empty(), "{remote}");
        }
    }

    #[test]
    fn trusted_proxy_uses_the_rightmost_untrusted_forwarded_hop() {
        let proxies: Vec<IpNet> = vec![
            "192.0.2.0/24".parse().expect("net"),
            "127.0.0.1/32".parse().expect("net"),
        ];
        let mut filter = GatewayFilter::new(proxies);
        let cases = [
            ("c10", "192.0.2.1", "203.0.113.60", Some("203.0.113.60")),
            // Proxy appends: the client's own (spoofable) entries are on the left.
            (
                "c11",
                "192.0.2.1",
                "198.51.100.7, 203.0.113.61",
                Some("203.0.113.61"),
            ),
            (
                "c12",
                "192.0.2.1",
                "203.0.113.62, 192.0.2.9",
                Some("203.0.113.62"),
            ),
            (
                "c13",
                "::ffff:127.0.0.1",
                "203.0.113.63",
                Some("203.0.113.63"),
            ),
            (
                "c14",
                "192.0.2.1",
                "::ffff:203.0.113.64",
                Some("203.0.113.64"),
            ),
            ("c15", "192.0.2.1", "n/a", None),
            ("c16", "192.0.2.1", "127.0.0.1", None),
            ("c17", "192.0.2.1", "192.0.2.5", None),
        ];
        for (conn, remote, fwd, expected) in cases {
            let line = record(
                &closed(conn, remote, fwd, "ua", "1008", "unauthorized"),
                None,
            );
            let result = filter.process_line(&line);
            assert_eq!(result.kind, LineKind::Matched, "{conn}");
            let got: Vec<IpAddr> = result.failures.iter().map(|f| f.addr).collect();
            assert_eq!(
                got,
                expected.map(ip).into_iter().collect::<Vec<_>>(),
                "{conn}"
            );
        }
        // An injected " origin=" inside the forwarded list makes it ambiguous.
        let line = record(
            &closed(
                "c18",
                "192.0.2.1",
                "198.51.100.7 origin=x, 203.0.113.65",
                "ua",
                "1008",
                "unauthorized",
            ),
            None,
        );
        assert!(filter.process_line(&line).failures.is_empty());
        // The context object carries the forwarded list unambiguously.
        let context = json!({"remoteAddr": "192.0.2.1", "forwardedFor": "198.51.100.7 origin=x, 203.0.113.65"});
        let line = record(
            &closed(
                "c19",
                "192.0.2.1",
                "198.51.100.7 origin=x, 203.0.113.65",
                "ua",
                "1008",
                "unauthorized",
            ),
            Some(context),
        );
        assert_eq!(failures(&mut filter, &line), vec![(ip("203.0.113.65"), 1)]);
        // `unauthorized` lines carry no forwarded address: never ban the proxy.
        let line = record(
            &unauthorized("p", "192.0.2.1", "ua", "token_mismatch", ""),
            None,
        );
        let result = filter.process_line(&line);
        assert_eq!(result.kind, LineKind::Matched);
        assert!(result.failures.is_empty());
    }

    /// Issue 8, item 10: behind a trusted proxy, a forwarded hop that cannot be
    /// parsed, or a loopback hop, ends the walk: the attacker-chosen entries to
    /// its left are never banned.
    #[test]
    fn forwarded_walk_stops_at_unparseable_or_loopback_hops() {
        let proxies: Vec<IpNet> = vec![
            "192.0.2.0/24".parse().expect("net"),
            "127.0.0.1/32".parse().expect("net"),
        ];
        let mut filter = GatewayFilter::new(proxies);
        let stops = [
            "198.51.100.7, garbage",
            "198.51.100.7, unknown",
            "198.51.100.7, _hidden",
            "198.51.100.7, 127.0.0.1",
            "198.51.100.7, 127.0.0.2",
            "198.51.100.7, ::1",
            "198.51.100.7, ::ffff:127.0.0.1",
            "198.51.100.7, garbage, 192.0.2.9",
            "198.51.100.7, 127.0.0.1, 192.0.2.9",
            "198.51.100.7,, 192.0.2.9",
            "198.51.100.7, ",
            "198.51.100.7 203.0.113.70",
        ];
        for (i, fwd) in stops.iter().enumerate() {
            let conn = format!("stop-{i}");
            let text = closed(&conn, "192.0.2.1", fwd, "ua", "1008", "unauthorized");
            let result = filter.process_line(&record(&text, None));
            assert_eq!(result.kind, LineKind::Matched, "{fwd}");
            assert!(result.failures.is_empty(), "text fwd={fwd}: {result:?}");
            // The same list in the structured context object.
            let context = json!({"remoteAddr": "192.0.2.1", "forwardedFor": fwd});
            let conn = format!("stop-ctx-{i}");
            let text = closed(&conn, "192.0.2.1", fwd, "ua", "1008", "unauthorized");
            let result = filter.process_line(&record(&text, Some(context)));
            assert!(result.failures.is_empty(), "context fwd={fwd}: {result:?}");
        }
        // Well-formed lists still resolve to the right-most untrusted hop,
        // through trusted hops and port/bracket forms.
        let resolves = [
            ("198.51.100.7, 203.0.113.71, 192.0.2.9", "203.0.113.71"),
            ("203.0.113.72:4711", "203.0.113.72"),
            ("[2001:db8::73]:443, 192.0.2.9", "2001:db8::73"),
            ("garbage, 203.0.113.74", "203.0.113.74"),
        ];
        for (i, (fwd, expected)) in resolves.iter().enumerate() {
            let conn = format!("ok-{i}");
            let text = closed(&conn, "192.0.2.1", fwd, "ua", "1008", "unauthorized");
            assert_eq!(
                failures(&mut filter, &record(&text, None)),
                vec![(ip(expected), 1)],
                "{fwd}"
            );
        }
    }

    /// A gateway/ws record with `message` as its only string argument.
    fn ws_record(values: &[Value]) -> Vec<u8> {
        let mut obj = Map::new();
        for (i, value) in values.iter().enumerate() {
            obj.insert(i.to_string(), value.clone());
        }
        serde_json::to_vec(&Value::Object(obj)).expect("json")
    }

    /// Issue 8, item 10: only the gateway's own WebSocket messages count:
    /// subsystem `gateway/ws`, and the rejection text must be the message
    /// itself, not another argument or another logger's text.
    #[test]
    fn only_the_gateway_ws_message_itself_counts() {
        let text = unauthorized("p", "198.51.100.7", "ua", "token_mismatch", "");
        let close = closed("c-sub", "198.51.100.7", "n/a", "ua", "1008", "unauthorized");
        let ws = json!("{\"subsystem\":\"gateway/ws\"}");
        // Control: the real shapes count.
        assert_eq!(
            failures(&mut open(), &ws_record(&[ws.clone(), json!(text)])).len(),
            1
        );
        assert_eq!(
            failures(
                &mut open(),
                &ws_record(&[ws.clone(), json!({"cause": "unauthorized"}), json!(close)])
            )
            .len(),
            1
        );
        let not_counted: Vec<(&str, Vec<u8>)> = vec![
            (
                "another subsystem",
                ws_record(&[json!("{\"subsystem\":\"telegram\"}"), json!(text)]),
            ),
            (
                "another subsystem, closing text",
                ws_record(&[json!("{\"subsystem\":\"gateway/http\"}"), json!(close)]),
            ),
            ("no subsystem", ws_record(&[json!(text)])),
            (
                "a module logger",
                ws_record(&[json!("{\"module\":\"gateway/ws\"}"), json!(text)]),
            ),
            (
                "second string argument",
                ws_record(&[ws.clone(), json!("webchat message:"), json!(text)]),
            ),
            (
                "first of two string arguments",
                ws_record(&[ws.clone(), json!(text), json!("trailing")]),
            ),
            (
                "string inside the context object",
                ws_record(&[
                    ws.clone(),
                    json!({"userAgent": text}),
                    json!("handshake ok"),
                ]),
            ),
            (
                "top-level message disagrees",
                serde_json::to_vec(&json!({"0": ws, "1": "webchat connected", "message": text}))
                    .expect("json"),
            ),
            (
                "top-level message of another subsystem",
                serde_json::to_vec(&json!({
                    "0": "{\"subsystem\":\"agent\"}",
                    "1": {"note": 1},
                    "message": text,
                }))
                .expect("json"),
            ),
            (
                "quoted inside another gateway/ws message",
                ws_record(&[
                    ws.clone(),
                    json!(format!("webchat connected conn=abc ua={text}")),
                ]),
            ),
        ];
        for (what, line) in &not_counted {
            let result = open().process_line(line);
            assert_eq!(result.kind, LineKind::Missed, "{what}");
            assert!(result.failures.is_empty(), "{what}");
        }
    }

    /// Issue 8, item 11: the gateway throttles its lines for missing
    /// credentials with two separate limiters, one per line kind, each
    /// keeping its own 30 s window and its own ` suppressed=N`. Their
    /// decisions can differ by the few milliseconds between the two lines,
    /// so a failure can show up in one kind's count and the other kind's
    /// line at once. Only the `unauthorized` lines count for these reasons.
    #[test]
    fn missing_credential_failures_count_once_when_the_throttles_disagree() {
        let addr = "198.51.100.40";
        let unauth = |conn: &str, tail: &str| {
            let text = unauthorized("p", addr, "ua", "token_missing", tail).replace(CONN, conn);
            record(&text, None)
        };
        let close = |conn: &str, tail: &str| {
            let text = format!(
                "{} phase=auth_credentials_received{tail}",
                closed(
                    conn,
                    addr,
                    "n/a",
                    "ua",
                    "1008",
                    "unauthorized: gateway token missing (set gateway.remote.token to match gateway.auth.token)"
                )
            );
            let context = json!({
                "cause": "unauthorized",
                "remoteAddr": addr,
                "authProvided": "none",
                "authReason": "token_missing",
            });
            record(&text, Some(context))
        };
        // Failures A, S1, S2, X, Y. A is logged by both; S1 and S2 by neither;
        // X only by the closing limiter (its window ran out a moment later);
        // Y by both, each with its own suppressed count.
        let lines = [
            unauth("A", ""),
            close("A", ""),
            close("X", " suppressed=2"),
            unauth("Y", " suppressed=3"),
            close("Y", ""),
        ];
        let mut filter = open();
        let total: u32 = lines
            .iter()
            .flat_map(|line| failures(&mut filter, line))
            .map(|(_, n)| n)
            .sum();
        assert_eq!(total, 5);
        // Such a closing line is still recognised as a gateway rejection.
        assert_eq!(
            open().process_line(&close("Z", " suppressed=4")).kind,
            LineKind::Matched
        );
        // A fake reason in the user agent does not make a closing line that
        // counts on its own (a bad device signature) defer to a twin.
        let text = closed(
            "D",
            addr,
            "n/a",
            "x code=1008 reason=unauthorized: gateway token missing (y)",
            "1008",
            "device signature invalid",
        );
        assert_eq!(
            failures(&mut open(), &record(&text, None)),
            vec![(ip(addr), 1)]
        );
    }

    /// Lines written by the real gateway (openclaw 2026.9.6, token auth,
    /// `--bind lan` in a network namespace), captured once by hand with the
    /// client of `crates/jails/tests/real_gateway/ws-client.mjs` (that test
    /// checks the live gateway; these pin its format for fast unit tests):
    /// 192.0.2.10 one wrong token; 192.0.2.11 five connects without a device
    /// identity or token (`device identity required`, not an auth failure);
    /// 192.0.2.12 ten wrong tokens, then three more after the gateway's
    /// lockout (`rate_limited`); 192.0.2.13 three missing tokens, a wrong one,
    /// and 25 s later a missing one (logged with ` suppressed=2`).
    const REAL_TOKEN_LOG: &str = include_str!("../tests/fixtures/openclaw-2026.9.6-token.jsonl");
    /// The same gateway with password auth and `gateway.trustedProxies =
    /// ["192.0.2.20"]`: 192.0.2.14 a wrong and a missing password; 192.0.2.20
    /// a wrong password with `X-Forwarded-For: 198.51.100.7, 127.0.0.1`, and
    /// one with `X-Forwarded-For: 198.51.100.8`; 192.0.2.15 a bad device
    /// signature.
    const REAL_PASSWORD_PROXY_LOG: &str =
        include_str!("../tests/fixtures/openclaw-2026.9.6-password-proxy.jsonl");

    /// Failures per address over a whole log, and the number of matched lines.
    fn totals(filter: &mut GatewayFilter, log: &str) -> (Vec<(IpAddr, u32)>, usize) {
        let mut per_addr = std::collections::BTreeMap::new();
        let mut matched = 0;
        for line in log.lines() {
            let result = filter.process_line(line.as_bytes());
            if result.kind == LineKind::Matched {
                matched += 1;
            }
            for failure in result.failures {
                *per_addr.entry(failure.addr).or_insert(0) += failure.count;
            }
        }
        (per_addr.into_iter().collect(), matched)
    }

    #[test]
    fn real_gateway_token_log_counts_each_failure_once() {
        // The fixture pins the 2026.9.6 format this filter relies on.
        assert!(REAL_TOKEN_LOG.contains(" reason=token_mismatch guidance=unauthorized: "));
        assert!(REAL_TOKEN_LOG.contains(" reason=rate_limited guidance="));
        assert!(REAL_TOKEN_LOG.contains(" reason=token_missing guidance="));
        assert!(REAL_TOKEN_LOG.contains("gateway.auth.token) suppressed=2\""));
        assert!(REAL_TOKEN_LOG.contains("\"authReason\":\"token_mismatch\""));
        let (per_addr, matched) = totals(&mut open(), REAL_TOKEN_LOG);
        assert_eq!(
            per_addr,
            vec![
                (ip("192.0.2.10"), 1),
                (ip("192.0.2.12"), 13),
                (ip("192.0.2.13"), 5),
            ]
        );
        // Both lines of every rejection are recognised.
        assert_eq!(matched, 2 + 2 * 13 + 2 * 3);
    }

    #[test]
    fn real_gateway_password_log_behind_a_trusted_proxy() {
        assert!(REAL_PASSWORD_PROXY_LOG.contains(" reason=password_mismatch guidance="));
        assert!(REAL_PASSWORD_PROXY_LOG.contains(" reason=password_missing guidance="));
        assert!(REAL_PASSWORD_PROXY_LOG.contains("\"forwardedFor\":\"198.51.100.7, 127.0.0.1\""));
        assert!(REAL_PASSWORD_PROXY_LOG.contains("reason=device signature invalid phase="));
        let mut behind_proxy = GatewayFilter::new(vec!["192.0.2.20/32".parse().expect("net")]);
        let (per_addr, _) = totals(&mut behind_proxy, REAL_PASSWORD_PROXY_LOG);
        // 198.51.100.7 stood left of a loopback hop: not ours to believe.
        assert_eq!(
            per_addr,
            vec![
                (ip("192.0.2.14"), 2),
                (ip("192.0.2.15"), 1),
                (ip("198.51.100.8"), 1),
            ]
        );
        // Without the proxy configured, the proxy's own address is the client.
        let (per_addr, _) = totals(&mut open(), REAL_PASSWORD_PROXY_LOG);
        assert_eq!(
            per_addr,
            vec![
                (ip("192.0.2.14"), 2),
                (ip("192.0.2.15"), 1),
                (ip("192.0.2.20"), 2),
            ]
        );
    }

    #[test]
    fn untrusted_remote_with_spoofed_fwd_counts_the_remote() {
        let mut filter = GatewayFilter::new(vec!["192.0.2.0/24".parse().expect("net")]);
        let line = record(
            &closed(
                "c20",
                "198.51.100.20",
                "203.0.113.99",
                "ua",
                "1008",
                "unauthorized",
            ),
            None,
        );
        assert_eq!(failures(&mut filter, &line), vec![(ip("198.51.100.20"), 1)]);
    }

    #[test]
    fn garbage_is_missed_without_panicking() {
        let valid = record(
            &unauthorized("p", "198.51.100.1", "ua", "token_mismatch", ""),
            None,
        );
        let mut with_newline = valid.clone();
        with_newline.extend_from_slice(b"\r\n");
        assert_eq!(failures(&mut open(), &with_newline).len(), 1);

        let mut invalid_utf8 = valid.clone();
        invalid_utf8.insert(20, 0xff);
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let mut huge = valid.clone();
        let pad = format!(",\"pad\":\"{}\"}}", "a".repeat(MAX_GATEWAY_LINE_BYTES));
        huge.truncate(huge.len() - 1);
        huge.extend_from_slice(pad.as_bytes());
        let inputs: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"not json".to_vec(),
            b"12:01:02 [ws] unauthorized conn=x remote=198.51.100.1 client=y reason=token_mismatch"
                .to_vec(),
            b"[1,2,3]".to_vec(),
            b"{\"1\": 5}".to_vec(),
            b"{\"1\": \"unauthorized conn=\"}".to_vec(),
            b"{\"1\": \"closed before connect conn=abc\"}".to_vec(),
            b"{\"1\": \"handshake timeout conn=abc remote=198.51.100.1\"}".to_vec(),
            invalid_utf8,
            deep.into_bytes(),
            huge,
            vec![0u8; 100],
        ];
        for (i, input) in inputs.iter().enumerate() {
            let result = open().process_line(input);
            assert_eq!(result.kind, LineKind::Missed, "input {i}");
            assert!(result.failures.is_empty(), "input {i}");
        }
    }

    #[test]
    fn numbered_keys_are_bounded() {
        let text = unauthorized("p", "198.51.100.2", "ua", "token_mismatch", "");
        let mut obj = Map::new();
        for i in 0..(MAX_NUMBERED_KEYS + 4) {
            obj.insert(i.to_string(), json!("filler"));
        }
        obj.insert((MAX_NUMBERED_KEYS + 4).to_string(), json!(text));
        let line = serde_json::to_vec(&Value::Object(obj)).expect("json");
        assert_eq!(open().process_line(&line).kind, LineKind::Missed);
    }
}
