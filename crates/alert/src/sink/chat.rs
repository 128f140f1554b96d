//! Text renderings for people: Slack, Discord, Telegram and ntfy. Pure.
//!
//! Every service caps a message. The text is fitted whole lines at a time:
//! what does not fit is counted in a last line `… N more alerts`, so a cut
//! message still carries its numbers. Limits are counted in bytes, which is
//! never more than the characters or UTF-16 units the services count, and
//! cuts fall on character boundaries ([`cut_at_char`]).

use std::fmt::Write as _;

use clawguard_event::Severity;
use serde_json::json;

use crate::notification::{cut_at_char, severity_name};
use crate::sink::webhook::rfc3339;
use crate::{AlertLine, Notification};

/// Slack: `text` of an incoming webhook. Slack truncates past 40,000
/// characters and advises 4,000.
pub const SLACK_MAX: usize = 4000;
/// Discord: `content` of a webhook message.
pub const DISCORD_MAX: usize = 2000;
/// Telegram: `text` of sendMessage.
pub const TELEGRAM_MAX: usize = 4096;
/// ntfy: a larger body becomes an attachment instead of a message.
pub const NTFY_MAX: usize = 4096;
/// ntfy: the `Title` header.
pub const NTFY_TITLE_MAX: usize = 250;

/// Longest sample line shown in a text message.
const SAMPLE_SHOWN: usize = 200;

/// Escaping a service needs in its text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    None,
    /// Slack mrkdwn: `&`, `<`, `>` (so a log line cannot write `<!channel>`).
    Slack,
}

fn escape(text: &str, how: Escape) -> String {
    match how {
        Escape::None => text.to_string(),
        Escape::Slack => text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
    }
}

/// `text` with control characters (newlines too) made spaces: a log line
/// must not fake lines of the message.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// One alert as text: a line, then its samples indented.
fn alert_text(a: &AlertLine, how: Escape) -> String {
    let mut out = format!(
        "• {} {}/{} ×{}{}: {}",
        severity_name(a.severity).to_uppercase(),
        crate::sink::webhook::engine_name(a.engine),
        a.kind,
        a.count,
        if a.repeat { " (again)" } else { "" },
        escape(&one_line(&a.summary), how),
    );
    for sample in &a.samples {
        let sample = one_line(sample);
        let shown = cut_at_char(&sample, SAMPLE_SHOWN);
        let more = if shown.len() < sample.len() {
            "…"
        } else {
            ""
        };
        let _ = write!(out, "\n    {}{more}", escape(shown, how));
    }
    out
}

fn footer(hidden: u64) -> String {
    format!("\n… {hidden} more alerts")
}

/// The whole message in at most `max` bytes: title, a line of counts, the
/// alerts that fit, and `… N more alerts` for the rest.
fn fit(n: &Notification, max: usize, how: Escape) -> String {
    let items: Vec<String> = n.alerts.iter().map(|a| alert_text(a, how)).collect();
    let total_hidden = n.omitted_alerts + items.len() as u64;
    // Room kept for the footer, so it is never what gets cut.
    let reserve = footer(total_hidden).len();
    let head = format!(
        "{}\n{} events, {} to {}",
        escape(&one_line(&n.title()), how),
        n.events,
        rfc3339(n.first_ms),
        rfc3339(n.last_ms),
    );
    let mut out = cut_at_char(&head, max.saturating_sub(reserve)).to_string();
    let whole = out.len() + items.iter().map(|i| 1 + i.len()).sum::<usize>();
    let no_footer_needed = n.omitted_alerts == 0 && whole <= max;
    let budget = if no_footer_needed {
        max
    } else {
        max.saturating_sub(reserve)
    };
    let mut shown = 0u64;
    for item in &items {
        if out.len() + 1 + item.len() > budget {
            break;
        }
        out.push('\n');
        out.push_str(item);
        shown += 1;
    }
    let hidden = total_hidden - shown;
    if hidden > 0 {
        out.push_str(&footer(hidden));
    }
    out
}

/// The plain text of a notification within `max` bytes.
pub fn text(n: &Notification, max: usize) -> String {
    fit(n, max, Escape::None)
}

/// Slack incoming webhook: `{"text": …}` in mrkdwn with `&<>` escaped.
pub fn slack(n: &Notification) -> Vec<u8> {
    let text = fit(n, SLACK_MAX, Escape::Slack);
    json!({ "text": text }).to_string().into_bytes()
}

/// Discord webhook: `{"content": …}`, mentions disabled so no text in an
/// alert can ping `@everyone`.
pub fn discord(n: &Notification) -> Vec<u8> {
    let content = text(n, DISCORD_MAX);
    json!({
        "content": content,
        "username": "clawguard",
        "allowed_mentions": { "parse": [] },
    })
    .to_string()
    .into_bytes()
}

/// Telegram Bot API sendMessage: plain text (no `parse_mode`, so nothing
/// needs escaping).
pub fn telegram(n: &Notification, chat_id: &str) -> Vec<u8> {
    json!({
        "chat_id": chat_id,
        "text": text(n, TELEGRAM_MAX),
        "disable_web_page_preview": true,
    })
    .to_string()
    .into_bytes()
}

/// ntfy priority 1 (min) to 5 (max).
pub fn ntfy_priority(severity: Severity) -> u8 {
    match severity {
        Severity::Info => 1,
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}

/// ntfy: the body and the headers `Title`, `Priority`, `Tags`.
pub fn ntfy(n: &Notification) -> (Vec<u8>, Vec<(&'static str, String)>) {
    let body = text(n, NTFY_MAX).into_bytes();
    let mut tags = format!("clawguard,{}", severity_name(n.severity));
    if n.test {
        tags.push_str(",test");
    }
    let headers = vec![
        ("Title", header_text(&n.title(), NTFY_TITLE_MAX)),
        ("Priority", ntfy_priority(n.severity).to_string()),
        ("Tags", tags),
    ];
    (body, headers)
}

/// A header value from any text: control characters become spaces, and
/// text that is not plain ASCII is sent as an RFC 2047 encoded word
/// (`=?UTF-8?B?…?=`), which ntfy decodes.
pub fn header_text(text: &str, max: usize) -> String {
    let clean = one_line(text);
    let clean = cut_at_char(&clean, max);
    if clean.is_ascii() {
        return clean.to_string();
    }
    format!("=?UTF-8?B?{}?=", base64(clean.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::http::tests_support::notification;

    /// The count at the end of a fitted text.
    fn more(text: &str) -> u64 {
        let last = text.lines().last().unwrap();
        last.strip_prefix("… ")
            .and_then(|r| r.strip_suffix(" more alerts"))
            .unwrap_or_else(|| panic!("no `… N more` in {last:?}"))
            .parse()
            .unwrap()
    }

    fn listed(text: &str) -> u64 {
        text.lines().filter(|l| l.starts_with("• ")).count() as u64
    }

    #[test]
    fn everything_fits_without_a_footer() {
        let n = notification(2, 0);
        let t = text(&n, 4000);
        assert_eq!(listed(&t), 2);
        assert!(!t.contains("more alerts"), "{t}");
    }

    #[test]
    fn every_limit_holds_with_multibyte_text_and_keeps_the_count() {
        // Summaries of 3- and 4-byte characters, so cuts land inside them.
        let mut n = notification(20, 7);
        for (i, a) in n.alerts.iter_mut().enumerate() {
            a.summary = "€😀".repeat(40 + i);
            a.samples = vec!["é".repeat(300)];
        }
        for max in [DISCORD_MAX, TELEGRAM_MAX, NTFY_MAX, SLACK_MAX, 120, 61] {
            let t = text(&n, max);
            assert!(t.len() <= max, "{max}: {} bytes", t.len());
            assert_eq!(listed(&t) + more(&t), 27, "{max}: {t}");
        }
        // Every byte count around the boundary: never over, never a cut char.
        for max in 1500..1540 {
            let t = text(&n, max);
            assert!(t.len() <= max);
            assert_eq!(listed(&t) + more(&t), 27);
        }
    }

    #[test]
    fn samples_are_cut_to_200_bytes_on_a_character() {
        let mut n = notification(1, 0);
        n.alerts[0].samples = vec!["a€".repeat(100), "short".into()];
        let t = text(&n, 4000);
        let lines: Vec<&str> = t.lines().filter(|l| l.starts_with("    ")).collect();
        assert_eq!(lines.len(), 2);
        let shown = lines[0].trim_start().strip_suffix('…').unwrap();
        assert!(shown.len() <= SAMPLE_SHOWN && shown.len() > SAMPLE_SHOWN - 4);
        assert_eq!(lines[1].trim_start(), "short");
    }

    #[test]
    fn a_huge_title_is_cut_but_the_footer_stays() {
        let mut n = notification(1, 0);
        n.alerts[0].summary = "😀".repeat(5000);
        let t = text(&n, DISCORD_MAX);
        assert!(t.len() <= DISCORD_MAX);
        assert_eq!(more(&t), 1);
    }

    #[test]
    fn slack_escapes_and_fits_its_limit() {
        let mut n = notification(20, 0);
        for a in &mut n.alerts {
            a.summary = format!("<!channel> & {}", "ß".repeat(400));
        }
        let v: serde_json::Value = serde_json::from_slice(&slack(&n)).unwrap();
        let t = v["text"].as_str().unwrap();
        assert!(t.len() <= SLACK_MAX);
        assert!(!t.contains("<!channel>") && t.contains("&lt;!channel&gt; &amp;"));
        assert_eq!(listed(t) + more(t), 20);
    }

    #[test]
    fn discord_and_telegram_shapes() {
        let mut n = notification(20, 3);
        for a in &mut n.alerts {
            a.summary = format!("@everyone {}", "ж".repeat(200));
        }
        let d: serde_json::Value = serde_json::from_slice(&discord(&n)).unwrap();
        let content = d["content"].as_str().unwrap();
        assert!(content.chars().count() <= 2000 && content.len() <= DISCORD_MAX);
        assert_eq!(d["allowed_mentions"]["parse"], json!([]));
        assert_eq!(listed(content) + more(content), 23);
        let t: serde_json::Value = serde_json::from_slice(&telegram(&n, "-100123")).unwrap();
        assert_eq!(t["chat_id"], "-100123");
        assert!(t.get("parse_mode").is_none());
        let text = t["text"].as_str().unwrap();
        assert!(text.encode_utf16().count() <= 4096);
        assert_eq!(listed(text) + more(text), 23);
    }

    #[test]
    fn ntfy_headers() {
        let mut n = notification(1, 0);
        n.severity = Severity::Critical;
        let (body, headers) = ntfy(&n);
        assert!(body.len() <= NTFY_MAX);
        assert!(headers.contains(&("Priority", "5".into())));
        assert!(headers.contains(&("Tags", "clawguard,critical".into())));
        assert_eq!(ntfy_priority(Severity::Info), 1);
        assert_eq!(header_text("a\r\nb", 10), "a  b");
        // "é€" = c3 a9 e2 82 ac
        assert_eq!(header_text("é€", 10), "=?UTF-8?B?w6nigqw=?=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b"ab"), "YWI=");
        // A title cut inside a character keeps whole characters only.
        assert_eq!(header_text("a€", 3), "a");
    }
}
