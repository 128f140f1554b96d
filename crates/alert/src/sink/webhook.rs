//! The `webhook` sink's body (schema [`WEBHOOK_SCHEMA`]) and its signature.
//! Pure: no IO, no clock; the caller passes the time.
//!
//! Signature: `X-Clawguard-Signature: v1=<hex HMAC-SHA256(secret,
//! "<timestamp>.<body>")>` with `X-Clawguard-Timestamp: <unix seconds>`. The
//! timestamp is inside the MAC, so a receiver that checks its age rejects
//! a replayed request.

use std::collections::BTreeMap;

use hmac::{KeyInit, Mac};
use serde::Serialize;

use crate::notification::{WEBHOOK_SCHEMA, severity_name};
use crate::{AlertLine, Notification};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// Header with the signing time, Unix seconds.
pub const TIMESTAMP_HEADER: &str = "X-Clawguard-Timestamp";
/// Header with `v1=<hex>`.
pub const SIGNATURE_HEADER: &str = "X-Clawguard-Signature";

/// The webhook JSON, version `clawguard.alert.v1`.
#[derive(Debug, Serialize)]
struct Body<'a> {
    schema: &'static str,
    id: u64,
    sink: &'a str,
    host: &'a str,
    group_key: &'a str,
    group_labels: &'a BTreeMap<String, String>,
    severity: &'static str,
    title: String,
    events: u64,
    omitted_alerts: u64,
    first: String,
    last: String,
    test: bool,
    alerts: Vec<Alert<'a>>,
}

#[derive(Debug, Serialize)]
struct Alert<'a> {
    fingerprint: &'a str,
    kind: &'a str,
    engine: &'a clawguard_event::Engine,
    severity: &'static str,
    summary: &'a str,
    labels: &'a BTreeMap<String, String>,
    count: u64,
    first: String,
    last: String,
    repeat: bool,
    samples: &'a [String],
}

/// RFC 3339 UTC with milliseconds, e.g. `2026-12-07T06:30:00.000Z`.
pub fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The config name of an engine (`ban`, `fim`, …).
pub fn engine_name(engine: clawguard_event::Engine) -> String {
    serde_json::to_value(engine)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn alert(a: &AlertLine) -> Alert<'_> {
    Alert {
        fingerprint: &a.fingerprint,
        kind: &a.kind,
        engine: &a.engine,
        severity: severity_name(a.severity),
        summary: &a.summary,
        labels: &a.labels,
        count: a.count,
        first: rfc3339(a.first_ms),
        last: rfc3339(a.last_ms),
        repeat: a.repeat,
        samples: &a.samples,
    }
}

/// The JSON body of a webhook request.
pub fn render(n: &Notification) -> Vec<u8> {
    let body = Body {
        schema: WEBHOOK_SCHEMA,
        id: n.id,
        sink: &n.sink,
        host: &n.host,
        group_key: &n.group_key,
        group_labels: &n.group_labels,
        severity: severity_name(n.severity),
        title: n.title(),
        events: n.events,
        omitted_alerts: n.omitted_alerts,
        first: rfc3339(n.first_ms),
        last: rfc3339(n.last_ms),
        test: n.test,
        alerts: n.alerts.iter().map(alert).collect(),
    };
    // Only strings, numbers and maps of strings: serializing cannot fail.
    serde_json::to_vec(&body).unwrap_or_default()
}

fn mac(secret: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `X-Clawguard-Signature` value for `body` signed at `timestamp`
/// (Unix seconds, as sent in `X-Clawguard-Timestamp`).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, &timestamp.to_string(), body)
        .finalize()
        .into_bytes();
    let mut out = String::with_capacity(3 + 64);
    out.push_str("v1=");
    for byte in digest.iter() {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

/// For receivers: checks a request's `X-Clawguard-Signature` against its
/// `X-Clawguard-Timestamp` and body, and that the timestamp is within
/// `tolerance_s` of `now_s` (a replayed old request fails). Compares in
/// constant time.
pub fn verify_signature(
    secret: &str,
    timestamp_header: &str,
    body: &[u8],
    signature_header: &str,
    now_s: i64,
    tolerance_s: i64,
) -> Result<(), &'static str> {
    let timestamp_header = timestamp_header.trim();
    let timestamp: i64 = timestamp_header
        .parse()
        .map_err(|_| "timestamp is not a number of seconds")?;
    if (now_s - timestamp).abs() > tolerance_s {
        return Err("timestamp outside the tolerance (replayed or clock skew)");
    }
    let hex = signature_header
        .trim()
        .strip_prefix("v1=")
        .ok_or("signature does not start with v1=")?;
    let expected = decode_hex(hex).ok_or("signature is not 64 hex digits")?;
    mac(secret, timestamp_header, body)
        .verify_slice(&expected)
        .map_err(|_| "signature does not match")
}

fn decode_hex(hex: &str) -> Option<[u8; 32]> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::http::tests_support::notification;

    #[test]
    fn body_has_the_documented_fields() {
        let n = notification(3, 2);
        let v: serde_json::Value = serde_json::from_slice(&render(&n)).unwrap();
        assert_eq!(v["schema"], "clawguard.alert.v1");
        for key in [
            "id",
            "sink",
            "host",
            "group_key",
            "group_labels",
            "severity",
            "title",
            "events",
            "omitted_alerts",
            "first",
            "last",
            "alerts",
            "test",
        ] {
            assert!(v.get(key).is_some(), "missing {key}: {v}");
        }
        assert_eq!(v["omitted_alerts"], 2);
        assert_eq!(v["first"], "2026-12-07T06:00:00.000Z");
        let a = &v["alerts"][0];
        for key in [
            "fingerprint",
            "kind",
            "engine",
            "severity",
            "summary",
            "labels",
            "count",
            "repeat",
            "samples",
        ] {
            assert!(a.get(key).is_some(), "missing alerts[].{key}: {a}");
        }
        assert_eq!(a["engine"], "ban");
    }

    #[test]
    fn signature_verifies_and_rejects_tampering_wrong_keys_and_replays() {
        let body = br#"{"schema":"clawguard.alert.v1"}"#;
        let sig = sign("k3y", 1_700_000_000, body);
        assert!(sig.starts_with("v1=") && sig.len() == 67, "{sig}");
        let ok = |secret, ts, body: &[u8], sig: &str, now| {
            verify_signature(secret, ts, body, sig, now, 300)
        };
        assert_eq!(ok("k3y", "1700000000", body, &sig, 1_700_000_100), Ok(()));
        assert!(ok("k3y", "1700000000", b"{}", &sig, 1_700_000_000).is_err());
        assert!(ok("other", "1700000000", body, &sig, 1_700_000_000).is_err());
        // A new timestamp on the old signature, and the old one too late.
        assert!(ok("k3y", "1700000001", body, &sig, 1_700_000_001).is_err());
        assert!(ok("k3y", "1700000000", body, &sig, 1_700_000_301).is_err());
        assert!(ok("k3y", "1700000000", body, "v1=zz", 1_700_000_000).is_err());
        assert!(ok("k3y", "1700000000", body, &sig[3..], 1_700_000_000).is_err());
        assert!(ok("k3y", "soon", body, &sig, 1_700_000_000).is_err());
    }
}
