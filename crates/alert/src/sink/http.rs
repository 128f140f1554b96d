//! The HTTP transport of the six HTTP sinks: one reqwest client per sink
//! (rustls with the ring provider, the system roots plus the sink's
//! `ca_file`), rendering by type, and the classification of the answer
//! ([`classify`], pure).
//!
//! Slack, Discord and Telegram URLs are credentials, and any URL may hold
//! one (userinfo, a token in the query), so no URL is ever logged or put in
//! an error: errors say `url=<redacted>`.

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use clawguard_config::{SinkConfig, SinkType};

use crate::notification::cut_at_char;
use crate::sink::webhook::{SIGNATURE_HEADER, TIMESTAMP_HEADER};
use crate::sink::{Outcome, alertmanager, chat, webhook};
use crate::{AlertError, Notification};

/// Most bytes of a response body read (the rest is not waited for).
pub const MAX_RESPONSE_BYTES: usize = 64 << 10;
/// Longest `Retry-After` honoured.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);
/// Most bytes of a response body quoted in an error.
pub const ERROR_BODY_BYTES: usize = 200;
/// Largest `ca_file` read.
/// Redirects followed (same scheme, host and port only).
const MAX_REDIRECTS: usize = 3;
/// Telegram's Bot API when the sink sets no `url`.
pub const TELEGRAM_API: &str = "https://api.telegram.org";

/// A built HTTP sink. Its `Debug` shows no URL and no secret.
pub struct HttpSink {
    kind: SinkType,
    client: reqwest::Client,
    /// The full request URL (Telegram: with the bot token in its path).
    target: reqwest::Url,
    timeout: Duration,
    /// `webhook`: the HMAC key.
    secret: Option<String>,
    /// `ntfy`: a Bearer token.
    token: Option<String>,
    /// `telegram`
    chat_id: String,
}

impl fmt::Debug for HttpSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpSink")
            .field("kind", &self.kind.name())
            .field("url", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("signed", &self.secret.is_some())
            .finish_non_exhaustive()
    }
}

impl HttpSink {
    /// Build from the config: resolve `url`, `secret`, `token`, read
    /// `ca_file`, build the client.
    pub fn build(
        config: &SinkConfig,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<HttpSink, AlertError> {
        let name = config.name.as_str();
        let bad = |message: String| AlertError::Sink {
            sink: name.to_string(),
            message,
        };
        let resolve = |key, inline: &Option<String>, file: &Option<std::path::PathBuf>| {
            crate::secret::resolve(name, key, inline.as_deref(), file.as_deref(), env)
        };
        let url = resolve("url", &config.url, &config.url_file)?;
        let secret = resolve("secret", &config.secret, &config.secret_file)?;
        let token = resolve("token", &config.token, &config.token_file)?;
        let url = match (config.kind, url) {
            (SinkType::Telegram, base) => {
                let token = token
                    .as_deref()
                    .ok_or_else(|| bad("a telegram sink needs the bot token".into()))?;
                let base = base.unwrap_or_else(|| TELEGRAM_API.to_string());
                format!("{}/bot{token}/sendMessage", base.trim_end_matches('/'))
            }
            (SinkType::Alertmanager, Some(base)) => {
                format!(
                    "{}{}",
                    base.trim_end_matches('/'),
                    alertmanager::ALERTS_PATH
                )
            }
            (_, Some(url)) => url,
            (kind, None) => return Err(bad(format!("a {} sink needs a url", kind.name()))),
        };
        // The URL may be a credential: the error does not quote it.
        let target = reqwest::Url::parse(&url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| bad("url=<redacted> is not an http:// or https:// URL".into()))?;
        let timeout = Duration::from_secs(config.timeout.0.max(1) as u64);
        let tls = tls_config(name, config.ca_file.as_deref())?;
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(redirect_policy())
            .user_agent(concat!("clawguard/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| bad(format!("HTTP client: {}", error_text(e))))?;
        tracing::debug!(
            sink = name,
            kind = config.kind.name(),
            url = "<redacted>",
            "HTTP sink built"
        );
        Ok(HttpSink {
            kind: config.kind,
            client,
            target,
            timeout,
            secret,
            token,
            chat_id: config.chat_id.clone().unwrap_or_default(),
        })
    }

    /// One POST of `n`; the answer classified.
    pub async fn send(&self, n: &Notification, now_ms: i64) -> Outcome {
        let (body, content_type, headers) = self.render(n);
        let mut request = self
            .client
            .post(self.target.clone())
            .timeout(self.timeout)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .header("Idempotency-Key", idempotency_key(n));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        if self.kind == SinkType::Webhook {
            let timestamp = now_ms.div_euclid(1000);
            request = request.header(TIMESTAMP_HEADER, timestamp.to_string());
            if let Some(secret) = &self.secret {
                request = request.header(SIGNATURE_HEADER, webhook::sign(secret, timestamp, &body));
            }
        }
        if self.kind == SinkType::Ntfy
            && let Some(token) = &self.token
        {
            request = request.bearer_auth(token);
        }
        match request.body(body).send().await {
            Err(e) => classify_error(e),
            Ok(mut response) => {
                let status = response.status().as_u16();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let body = read_bounded(&mut response, MAX_RESPONSE_BYTES).await;
                classify(status, retry_after.as_deref(), &body, now_ms)
            }
        }
    }

    /// Body, content type and extra headers for this sink's type.
    fn render(&self, n: &Notification) -> (Vec<u8>, &'static str, Vec<(&'static str, String)>) {
        const JSON: &str = "application/json";
        match self.kind {
            SinkType::Slack => (chat::slack(n), JSON, Vec::new()),
            SinkType::Discord => (chat::discord(n), JSON, Vec::new()),
            SinkType::Telegram => (chat::telegram(n, &self.chat_id), JSON, Vec::new()),
            SinkType::Ntfy => {
                let (body, headers) = chat::ntfy(n);
                (body, "text/plain; charset=utf-8", headers)
            }
            SinkType::Alertmanager => (alertmanager::render(n), JSON, Vec::new()),
            _ => (webhook::render(n), JSON, Vec::new()),
        }
    }
}

/// `Idempotency-Key: <host>-<id>`: the same notification sent twice (at
/// least once) carries the same key.
fn idempotency_key(n: &Notification) -> String {
    let host: String = n
        .host
        .chars()
        .map(|c| if c.is_ascii_graphic() { c } else { '_' })
        .collect();
    format!("{}-{}", cut_at_char(&host, 200), n.id)
}

/// rustls with the ring provider, trusting the system roots and `ca_file`.
fn tls_config(sink: &str, ca_file: Option<&Path>) -> Result<rustls::ClientConfig, AlertError> {
    let extra = match ca_file {
        Some(path) => super::ca::read_ca_file(sink, path)?,
        None => Vec::new(),
    };
    Ok(Arc::unwrap_or_clone(super::ca::client_config(
        sink, &extra,
    )?))
}

/// Follow a redirect only to the same scheme, host and port, a few times:
/// an alert (and its signature) never goes to a host nobody configured.
/// Only 307 and 308, which keep the method and body: after a 301, 302 or
/// 303 the client would send a bodiless GET, and its 2xx would count as
/// delivered.
fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let keeps_body = matches!(attempt.status().as_u16(), 307 | 308);
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if keeps_body && same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// At most `max` bytes of the body; a read error or timeout ends it.
async fn read_bounded(response: &mut reqwest::Response, max: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < max {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = max - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) | Err(_) => break,
        }
    }
    body
}

/// The text of a reqwest error and its causes, without the URL.
fn error_text(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// A request that got no answer: worth retrying, unless the request itself
/// could not be built.
pub fn classify_error(error: reqwest::Error) -> Outcome {
    let timeout = error.is_timeout();
    let builder = error.is_builder();
    let text = format!("url=<redacted>: {}", error_text(error));
    if builder {
        Outcome::Permanent { error: text }
    } else if timeout {
        Outcome::Retry {
            after: None,
            error: format!("timed out: {text}"),
        }
    } else {
        Outcome::Retry {
            after: None,
            error: text,
        }
    }
}

/// What an answer means: 2xx delivered; 408, 429 and 5xx worth retrying
/// (after `Retry-After`, or the JSON `retry_after` of Discord and Telegram,
/// at most [`MAX_RETRY_AFTER`]); anything else refused for good.
pub fn classify(status: u16, retry_after: Option<&str>, body: &[u8], now_ms: i64) -> Outcome {
    let quoted = || {
        let text = String::from_utf8_lossy(body);
        let text: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let cut = cut_at_char(text.trim(), ERROR_BODY_BYTES);
        if cut.is_empty() {
            format!("HTTP {status}")
        } else {
            format!("HTTP {status}: {cut}")
        }
    };
    match status {
        200..=299 => Outcome::Delivered,
        408 | 429 | 500..=599 => Outcome::Retry {
            after: retry_after
                .and_then(|h| parse_retry_after(h, now_ms))
                .or_else(|| json_retry_after(body)),
            error: quoted(),
        },
        300..=399 => Outcome::Permanent {
            error: format!(
                "{}: redirect not followed (only 307/308 to the same host, at most {MAX_REDIRECTS})",
                quoted()
            ),
        },
        _ => Outcome::Permanent { error: quoted() },
    }
}

/// `Retry-After`: delay-seconds or an HTTP date, capped.
pub fn parse_retry_after(value: &str, now_ms: i64) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let ms = (date.timestamp_millis() - now_ms).max(0) as u64;
    Some(Duration::from_millis(ms).min(MAX_RETRY_AFTER))
}

/// Discord's `{"retry_after": 1.5}` and Telegram's
/// `{"parameters": {"retry_after": 3}}`, in seconds, capped.
pub fn json_retry_after(body: &[u8]) -> Option<Duration> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let seconds = value
        .get("retry_after")
        .or_else(|| value.get("parameters")?.get("retry_after"))?
        .as_f64()?;
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    Some(Duration::from_secs_f64(
        seconds.min(MAX_RETRY_AFTER.as_secs_f64()),
    ))
}

/// A notification for unit tests: `listed` alerts and `omitted` more.
#[cfg(test)]
pub(crate) mod tests_support {
    use std::collections::BTreeMap;

    use clawguard_event::{Engine, Severity};

    use crate::{AlertLine, Notification};

    /// 2026-12-07T06:00:00Z
    pub const T0: i64 = 1_796_623_200_000;

    pub fn notification(listed: usize, omitted: u64) -> Notification {
        let alerts = (0..listed)
            .map(|i| AlertLine {
                fingerprint: format!("{i:016x}"),
                kind: "banned".into(),
                engine: Engine::Ban,
                severity: Severity::High,
                summary: format!("banned 192.0.2.{i} in jail sshd"),
                labels: BTreeMap::from([
                    ("jail".to_string(), "sshd".to_string()),
                    ("target".to_string(), format!("192.0.2.{i}")),
                ]),
                count: 10,
                first_ms: T0,
                last_ms: T0 + 60_000,
                repeat: false,
                samples: Vec::new(),
            })
            .collect();
        Notification {
            id: 42,
            sink: "hook".into(),
            group_key: "engine=ban,kind=banned".into(),
            group_labels: BTreeMap::from([
                ("engine".to_string(), "ban".to_string()),
                ("kind".to_string(), "banned".to_string()),
            ]),
            severity: Severity::High,
            host: "gw1".into(),
            created_ms: T0 + 61_000,
            alerts,
            omitted_alerts: omitted,
            events: listed as u64 * 10 + omitted,
            first_ms: T0,
            last_ms: T0 + 60_000,
            test: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retry_after(outcome: Outcome) -> Option<Duration> {
        match outcome {
            Outcome::Retry { after, .. } => after,
            other => panic!("not a retry: {other:?}"),
        }
    }

    #[test]
    fn two_hundreds_are_delivered() {
        for status in [200, 201, 202, 204, 299] {
            assert_eq!(classify(status, None, b"", 0), Outcome::Delivered);
        }
    }

    #[test]
    fn timeouts_rate_limits_and_server_errors_are_retried() {
        for status in [408, 429, 500, 502, 503, 504, 599] {
            assert!(matches!(
                classify(status, None, b"busy", 0),
                Outcome::Retry { after: None, .. }
            ));
        }
    }

    #[test]
    fn retry_after_in_seconds_as_a_date_and_in_json() {
        let now = tests_support::T0;
        assert_eq!(
            retry_after(classify(429, Some("7"), b"", now)),
            Some(Duration::from_secs(7))
        );
        // 2026-12-07T06:00:30Z, 30 s after now.
        assert_eq!(
            retry_after(classify(
                503,
                Some("Mon, 07 Dec 2026 06:00:30 GMT"),
                b"",
                now
            )),
            Some(Duration::from_secs(30))
        );
        // A date in the past: retry now.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::ZERO)
        );
        // Capped at an hour.
        assert_eq!(
            retry_after(classify(429, Some("999999999999999999999"), b"", now)),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        // Discord and Telegram say it in the body.
        assert_eq!(
            retry_after(classify(
                429,
                None,
                br#"{"retry_after": 1.5, "global": false}"#,
                now
            )),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            retry_after(classify(
                429,
                None,
                br#"{"ok":false,"error_code":429,"parameters":{"retry_after":3}}"#,
                now
            )),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            json_retry_after(br#"{"retry_after": 1e30}"#),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(json_retry_after(br#"{"retry_after": -1}"#), None);
        assert_eq!(json_retry_after(b"not json"), None);
        // The header wins over the body.
        assert_eq!(
            retry_after(classify(429, Some("2"), br#"{"retry_after": 9}"#, now)),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn other_answers_are_permanent_with_a_short_cut_of_the_body() {
        let body = format!("no such hook {}", "€".repeat(500));
        for status in [400, 401, 403, 404, 410, 413, 422] {
            let Outcome::Permanent { error } = classify(status, None, body.as_bytes(), 0) else {
                panic!("{status} not permanent");
            };
            assert!(
                error.starts_with(&format!("HTTP {status}: no such hook")),
                "{error}"
            );
            assert!(error.len() <= ERROR_BODY_BYTES + 20, "{}", error.len());
        }
        let Outcome::Permanent { error } = classify(302, None, b"", 0) else {
            panic!("302 not permanent");
        };
        assert!(error.contains("redirect not followed"), "{error}");
        let Outcome::Permanent { error } = classify(404, None, b"a\r\nb\x1b[31m", 0) else {
            panic!()
        };
        assert_eq!(error, "HTTP 404: a  b [31m");
    }
}
