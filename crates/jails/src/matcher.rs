//! A jail's compiled filter: a fail2ban-dialect filter or the built-in
//! OpenClaw gateway filter, behind one call.

use clawguard_filter::openclaw::GatewayFilter;
use clawguard_filter::{Filter, FilterError, LineKind, LineResult};
use ipnet::IpNet;

use crate::catalog::FilterPlan;

/// A compiled filter, ready for lines.
pub enum JailFilter {
    Regex(Box<Filter>),
    Gateway(Box<GatewayFilter>),
}

impl JailFilter {
    /// Compile a plan. `trusted_proxies` only matters for the gateway filter.
    pub fn build(plan: &FilterPlan, trusted_proxies: &[IpNet]) -> Result<JailFilter, FilterError> {
        Ok(match plan {
            FilterPlan::Regex(def) => JailFilter::Regex(Box::new(Filter::compile(def)?)),
            FilterPlan::Gateway => {
                JailFilter::Gateway(Box::new(GatewayFilter::new(trusted_proxies.to_vec())))
            }
        })
    }

    /// Classify one line. `truncated`: the source cut the line at its own
    /// bound; such a line is never matched ([`LineKind::Truncated`]), since
    /// the part kept could name an address the whole line does not blame.
    /// `time_ms` is the line's time when the source knows it (journal
    /// entries); otherwise the filter finds the date in the line.
    pub fn process(
        &mut self,
        line: &[u8],
        truncated: bool,
        time_ms: Option<i64>,
        now_ms: i64,
    ) -> LineResult {
        if truncated {
            return match self {
                JailFilter::Regex(filter) => filter.skip_truncated(),
                JailFilter::Gateway(_) => LineResult {
                    kind: LineKind::Truncated,
                    time_ms: None,
                    failures: Vec::new(),
                },
            };
        }
        match self {
            JailFilter::Regex(filter) => match time_ms {
                Some(time_ms) => {
                    filter.process_dated(&String::from_utf8_lossy(line), time_ms, now_ms)
                }
                None => filter.process_bytes(line, now_ms),
            },
            JailFilter::Gateway(filter) => {
                let mut result = filter.process_line(line);
                if result.time_ms.is_none() {
                    result.time_ms = time_ms;
                }
                result
            }
        }
    }
}

/// Calls `each(line_number, bytes, truncated)` for every line of `reader`,
/// holding at most `max_len` bytes of any line (longer lines are cut, the
/// rest skipped, and flagged `truncated`). Line numbers start at 1. A final
/// line without `\n` counts.
pub fn for_each_line<R: std::io::Read>(
    mut reader: R,
    max_len: usize,
    mut each: impl FnMut(u64, &[u8], bool),
) -> std::io::Result<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let mut held: Vec<u8> = Vec::new();
    let mut overflowed = false;
    let mut line_no: u64 = 0;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = &buf[..n];
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', chunk) {
            let piece = &chunk[start..newline];
            line_no += 1;
            if held.is_empty() && !overflowed {
                let cut = piece.len() > max_len;
                let kept = &piece[..piece.len().min(max_len)];
                each(line_no, if cut { kept } else { trim_cr(kept) }, cut);
            } else {
                append_bounded(&mut held, piece, max_len, &mut overflowed);
                each(
                    line_no,
                    if overflowed { &held } else { trim_cr(&held) },
                    overflowed,
                );
                held.clear();
                overflowed = false;
            }
            start = newline + 1;
        }
        append_bounded(&mut held, &chunk[start..], max_len, &mut overflowed);
    }
    if !held.is_empty() || overflowed {
        line_no += 1;
        each(
            line_no,
            if overflowed { &held } else { trim_cr(&held) },
            overflowed,
        );
    }
    Ok(line_no)
}

fn append_bounded(held: &mut Vec<u8>, piece: &[u8], max_len: usize, overflowed: &mut bool) {
    let room = max_len.saturating_sub(held.len());
    if piece.len() > room {
        *overflowed = true;
    }
    held.extend_from_slice(&piece[..piece.len().min(room)]);
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8], max_len: usize) -> Vec<(u64, Vec<u8>)> {
        let mut out = Vec::new();
        for_each_line(input, max_len, |n, line, _| out.push((n, line.to_vec()))).unwrap();
        out
    }

    #[test]
    fn cut_lines_are_flagged() {
        let mut flags = Vec::new();
        let input = b"abcd\nabcde\nxy\nabcdefgh";
        for_each_line(&input[..], 4, |n, line, cut| {
            flags.push((n, line.to_vec(), cut))
        })
        .unwrap();
        assert_eq!(
            flags,
            vec![
                (1, b"abcd".to_vec(), false),
                (2, b"abcd".to_vec(), true),
                (3, b"xy".to_vec(), false),
                (4, b"abcd".to_vec(), true),
            ]
        );
    }

    #[test]
    fn splits_lines_and_keeps_a_last_partial_line() {
        let lines = collect(b"a\r\nbb\n\nccc", 100);
        assert_eq!(
            lines,
            vec![
                (1, b"a".to_vec()),
                (2, b"bb".to_vec()),
                (3, b"".to_vec()),
                (4, b"ccc".to_vec())
            ]
        );
    }

    #[test]
    fn long_lines_are_cut_to_the_bound() {
        let mut input = vec![b'x'; 3 << 20];
        input.extend_from_slice(b"\nshort\n");
        let lines = collect(&input, 1000);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].1.len(), 1000);
        assert_eq!(lines[1].1, b"short");
    }
}
