//! Lowercase hex, the one encoder and decoder (digests, keys, log positions).

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// `bytes` as lowercase hex.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

fn digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Parses hex digits (either case, surrounding whitespace ignored); `None`
/// for an odd count or anything that is not a hex digit (no sign, no `0x`).
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().as_bytes();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_strict_digits() {
        let all: Vec<u8> = (0..=255).collect();
        let text = encode(&all);
        assert_eq!(&text[..8], "00010203");
        assert_eq!(&text[text.len() - 4..], "feff");
        assert_eq!(decode(&text).unwrap(), all);
        assert_eq!(decode(" 00FF\n").unwrap(), [0, 255]);
        assert_eq!(decode("").unwrap(), Vec::<u8>::new());
        // `u8::from_str_radix` accepts a sign: "+f" must not read as 0x0f.
        for bad in ["+f", "0g", "abc", "0x", "é0", "-1"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
