//! Text cut to a byte budget without splitting a character.

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary.
pub fn cut_at_char(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_splits_a_character() {
        let text = "aé€😀";
        for max in 0..=text.len() + 1 {
            let cut = cut_at_char(text, max);
            assert!(cut.len() <= max);
            assert!(text.starts_with(cut));
        }
        assert_eq!(cut_at_char("aé", 2), "a");
        assert_eq!(cut_at_char("", 0), "");
    }
}
