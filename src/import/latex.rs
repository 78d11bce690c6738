//! LaTeX accents and dashes in plain text, for formats that should not carry
//! them but do: Zotero's CSL-JSON keeps a title typed as `Exposici\'on` just as
//! it was entered. (BibTeX itself is decoded by the `biblatex` crate.)

use unicode_normalization::UnicodeNormalization;

/// `Exposici\'on` → `Exposición`, `{\"u}` → `ü`, `\c{c}` → `ç`, `\ss` → `ß`,
/// `--` → `–`, `---` → `—`; braces that only protect case are dropped. Text
/// without a backslash, brace or double hyphen is returned as it is.
pub fn to_unicode(text: &str) -> String {
    if !text.contains(['\\', '{', '}']) && !text.contains("--") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek().copied() {
                Some(accent) if mark(accent).is_some() => {
                    chars.next();
                    match argument(&mut chars) {
                        Some(base) => {
                            out.push(base);
                            out.push(mark(accent).expect("checked above"));
                        }
                        None => out.push(accent),
                    }
                }
                Some(l) if l.is_ascii_alphabetic() => {
                    let mut name = String::new();
                    while let Some(&l) = chars.peek().filter(|l| l.is_ascii_alphabetic()) {
                        name.push(l);
                        chars.next();
                    }
                    match symbol(&name) {
                        Some(s) => {
                            out.push_str(s);
                            // `\ss{}` and `\ss ` end the command name.
                            if chars.peek() == Some(&' ') {
                                chars.next();
                            }
                        }
                        None => out.push_str(&name),
                    }
                }
                Some(other) => {
                    // `\&`, `\%`, `\{`: the character itself.
                    out.push(other);
                    chars.next();
                }
                None => {}
            },
            '{' | '}' => {}
            '-' if chars.peek() == Some(&'-') => {
                chars.next();
                if chars.peek() == Some(&'-') {
                    chars.next();
                    out.push('—');
                } else {
                    out.push('–');
                }
            }
            c => out.push(c),
        }
    }
    out.nfc().collect()
}

/// The combining mark for an accent command (`\'` → U+0301).
fn mark(accent: char) -> Option<char> {
    Some(match accent {
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '"' => '\u{308}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        'c' => '\u{327}',
        'v' => '\u{30C}',
        'u' => '\u{306}',
        'H' => '\u{30B}',
        'k' => '\u{328}',
        'r' => '\u{30A}',
        _ => return None,
    })
}

/// The letter an accent applies to: `o`, `{o}`, ` o` or `{\i}`.
fn argument(chars: &mut std::iter::Peekable<std::str::Chars>) -> Option<char> {
    while chars.peek() == Some(&' ') {
        chars.next();
    }
    match chars.next()? {
        '{' => {
            let mut base = None;
            for c in chars.by_ref() {
                match c {
                    '}' => break,
                    '\\' => {}
                    'i' if base.is_none() => base = Some('i'),
                    'j' if base.is_none() => base = Some('j'),
                    c if base.is_none() => base = Some(c),
                    _ => {}
                }
            }
            base
        }
        '\\' => match chars.next()? {
            'i' => Some('i'),
            'j' => Some('j'),
            other => Some(other),
        },
        c => Some(c),
    }
}

fn symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "aa" => "å",
        "AA" => "Å",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "textendash" => "–",
        "textemdash" => "—",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::to_unicode;

    #[test]
    fn accents_braces_and_dashes() {
        assert_eq!(
            to_unicode(r"Exposici\'on Temprana, Metodolog\'ias y T\'ecnicas"),
            "Exposición Temprana, Metodologías y Técnicas"
        );
        assert_eq!(
            to_unicode(r#"M{\"u}ller and {\"U}ber \c{c}a \ss{} {DNA} 10--20 a---b"#),
            "Müller and Über ça ß DNA 10–20 a—b"
        );
        assert_eq!(to_unicode(r#"na\"{\i}ve \~n \o{} \& co"#), "naïve ñ ø & co");
        assert_eq!(to_unicode("plain text, no LaTeX"), "plain text, no LaTeX");
    }
}
