//! The anchor search: an Aho-Corasick DFA over all rule anchors (ASCII
//! case-insensitive) that reports, for every position where anchors end, the
//! rules they belong to (every anchor ending there, overlapping ones
//! included).
//!
//! A DFA walk is bound by the latency of one table load per byte; this one
//! walks four parts of the text at once (split at newlines: no anchor holds
//! a newline past its first byte, so no match crosses a split), which keeps
//! the core busy while each load is in flight.

/// Parts scanned together.
const STREAMS: usize = 4;
/// Texts shorter than this are scanned as one part.
const SPLIT_MIN: usize = 4096;

pub(crate) struct AnchorDfa {
    /// Byte → equivalence class (ASCII letters fold to lower case; bytes in
    /// no anchor share class 0).
    class: [u8; 256],
    stride: usize,
    /// `state + class` → next state; states are premultiplied by `stride`.
    trans: Vec<u32>,
    start: u32,
    /// States below this hold anchors ending there.
    out_limit: u32,
    /// State / stride → the masks of the anchors ending there.
    out: Vec<u128>,
}

const NONE: u32 = u32::MAX;

impl AnchorDfa {
    /// `pats` are lowercase, non-empty; `masks[i]` is reported where
    /// `pats[i]` ends.
    pub fn new(pats: &[&[u8]], masks: &[u128]) -> Self {
        let mut class = [0u8; 256];
        let mut n = 1usize;
        for p in pats {
            for &b in *p {
                let b = b.to_ascii_lowercase();
                if class[b as usize] == 0 {
                    class[b as usize] = u8::try_from(n).expect("at most 255 anchor bytes");
                    n += 1;
                }
            }
        }
        for b in b'A'..=b'Z' {
            class[b as usize] = class[b.to_ascii_lowercase() as usize];
        }
        let stride = n;
        // The trie.
        let mut goto: Vec<u32> = vec![NONE; stride];
        let mut out: Vec<u128> = vec![0];
        for (p, &mask) in pats.iter().zip(masks) {
            assert!(!p.is_empty(), "empty anchor");
            let mut s = 0usize;
            for &b in *p {
                let c = class[b as usize] as usize;
                if goto[s * stride + c] == NONE {
                    let t = out.len();
                    goto[s * stride + c] = t as u32;
                    goto.extend(std::iter::repeat_n(NONE, stride));
                    out.push(0);
                }
                s = goto[s * stride + c] as usize;
            }
            out[s] |= mask;
        }
        // Failure links, breadth first, folded into a full transition table;
        // each state's output takes in its failure state's.
        let states = out.len();
        let mut delta = vec![0u32; states * stride];
        let mut fail = vec![0u32; states];
        let mut queue = std::collections::VecDeque::new();
        for c in 0..stride {
            let t = goto[c];
            if t != NONE {
                delta[c] = t;
                queue.push_back(t);
            }
        }
        while let Some(s) = queue.pop_front() {
            let s = s as usize;
            for c in 0..stride {
                let t = goto[s * stride + c];
                let via_fail = delta[fail[s] as usize * stride + c];
                if t == NONE {
                    delta[s * stride + c] = via_fail;
                } else {
                    fail[t as usize] = via_fail;
                    out[t as usize] |= out[via_fail as usize];
                    delta[s * stride + c] = t;
                    queue.push_back(t);
                }
            }
        }
        // Renumber: states with output first, so one comparison tells.
        let mut order: Vec<usize> = (0..states).filter(|&s| out[s] != 0).collect();
        let out_states = order.len();
        order.extend((0..states).filter(|&s| out[s] == 0));
        let mut new_id = vec![0u32; states];
        for (i, &s) in order.iter().enumerate() {
            new_id[s] = u32::try_from(i * stride).expect("anchor table fits u32");
        }
        let mut trans = vec![0u32; states * stride];
        for (i, &s) in order.iter().enumerate() {
            for c in 0..stride {
                trans[i * stride + c] = new_id[delta[s * stride + c] as usize];
            }
        }
        Self {
            class,
            stride,
            trans,
            start: new_id[0],
            out_limit: (out_states * stride) as u32,
            out: order.iter().map(|&s| out[s]).collect(),
        }
    }

    /// Appends `(last byte, mask)` for each position of `hay` where anchors
    /// end, in order of position.
    pub fn find(&self, hay: &[u8], found: &mut Vec<(usize, u128)>) {
        let mut ends = [hay.len(); STREAMS];
        if hay.len() >= SPLIT_MIN {
            let mut prev = 0;
            for (k, end) in ends.iter_mut().enumerate().take(STREAMS - 1) {
                let target = (hay.len() / STREAMS * (k + 1)).max(prev);
                // The next part starts at a newline (anchors may begin with
                // one), so no anchor crosses the split.
                *end = memchr::memchr(b'\n', &hay[target..]).map_or(hay.len(), |i| target + i);
                prev = *end;
            }
        }
        let mut starts = [0usize; STREAMS];
        starts[1..].copy_from_slice(&ends[..STREAMS - 1]);
        let mut raw: [Vec<(usize, u32)>; STREAMS] = Default::default();
        let common = (0..STREAMS).map(|k| ends[k] - starts[k]).min().unwrap_or(0);
        let (t, cls, lim) = (&self.trans[..], &self.class, self.out_limit);
        let step = |s: u32, b: u8| t[s as usize + cls[b as usize] as usize];
        let mut state = [self.start; STREAMS];
        {
            let a = &hay[starts[0]..starts[0] + common];
            let b = &hay[starts[1]..starts[1] + common];
            let c = &hay[starts[2]..starts[2] + common];
            let d = &hay[starts[3]..starts[3] + common];
            let [mut sa, mut sb, mut sc, mut sd] = state;
            let [ra, rb, rc, rd] = &mut raw;
            for i in 0..common {
                sa = step(sa, a[i]);
                sb = step(sb, b[i]);
                sc = step(sc, c[i]);
                sd = step(sd, d[i]);
                if sa < lim {
                    ra.push((starts[0] + i, sa));
                }
                if sb < lim {
                    rb.push((starts[1] + i, sb));
                }
                if sc < lim {
                    rc.push((starts[2] + i, sc));
                }
                if sd < lim {
                    rd.push((starts[3] + i, sd));
                }
            }
            state = [sa, sb, sc, sd];
        }
        for k in 0..STREAMS {
            let mut s = state[k];
            let from = starts[k] + common;
            for (i, &byte) in hay[from..ends[k]].iter().enumerate() {
                s = step(s, byte);
                if s < lim {
                    raw[k].push((from + i, s));
                }
            }
        }
        for part in &raw {
            found.extend(
                part.iter()
                    .map(|&(at, s)| (at, self.out[s as usize / self.stride])),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answer as aho-corasick's overlapping search, grouped by the
    /// match's last byte.
    #[test]
    fn agrees_with_aho_corasick() {
        let pats: Vec<&[u8]> = vec![
            b"curl", b"url", b"\nnc ", b" nc ", b"nc -", b"a", b"ab", b"abc", b"bc", b"c", b"x|y",
            b"--", b"pass:", b"pass",
        ];
        let masks: Vec<u128> = (0..pats.len()).map(|i| 1u128 << (i * 7 % 128)).collect();
        let dfa = AnchorDfa::new(&pats, &masks);
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&pats)
            .unwrap();
        let frags: [&[u8]; 14] = [
            b"CuRl",
            b"nc",
            b" ",
            b"-",
            b"\n",
            b"\r\n",
            b"ab",
            b"C",
            b"x|y",
            b"PASS:",
            b"q",
            b"\xc3\xa9",
            b"u",
            b"rl",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..200 {
            let n = if round % 10 == 0 { 3000 } else { next() % 300 };
            let hay: Vec<u8> = (0..n)
                .flat_map(|_| {
                    frags[(next() % frags.len() as u64) as usize]
                        .iter()
                        .copied()
                })
                .collect();
            let mut want: Vec<(usize, u128)> = Vec::new();
            for m in ac.find_overlapping_iter(&hay) {
                let at = m.end() - 1;
                let mask = masks[m.pattern().as_usize()];
                match want.iter_mut().find(|(p, _)| *p == at) {
                    Some((_, have)) => *have |= mask,
                    None => want.push((at, mask)),
                }
            }
            want.sort();
            let mut got = Vec::new();
            dfa.find(&hay, &mut got);
            assert_eq!(got, want, "round {round}");
        }
    }
}
