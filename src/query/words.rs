//! Claims as English: "Zinc does not increase ALP", "Thin floating ice
//! panels are not required for rock trails".
//!
//! Predicate labels are written for a singular subject ("is required for",
//! "increases"); a subject whose name reads as plural gets the verb to
//! agree, and a negated claim gets "does not"/"is not" with the bare verb,
//! never "does NOT increases".

/// Whether an entity name reads as a plural noun phrase: its head noun —
/// the last word before a parenthesis or a preposition ("Inorganic phosphate
/// at mineralization sites" is about phosphate) — is two nouns joined by
/// "and" ("Crab and lobster"), or ends in `s` but is not one
/// of the common singular endings (-ss, -us, -is, -sis, -ics, -ous) or a
/// known singular word. A guess, but it errs towards singular, the form the
/// labels already have.
pub fn is_plural(name: &str) -> bool {
    const PREPOSITIONS: [&str; 12] =
        ["at", "of", "in", "on", "for", "from", "with", "by", "to", "under", "within", "during"];
    let phrase = name.split('(').next().unwrap_or(name);
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let end = words.iter().skip(1).position(|w| PREPOSITIONS.contains(&w.to_lowercase().as_str()));
    let head = &words[..end.map_or(words.len(), |i| i + 1)];
    // Two nouns joined by "and" take a plural verb: "Crab and lobster are",
    // "Osteoblast number and activity increase".
    if head.len() >= 3 && head[1..head.len() - 1].iter().any(|w| w.eq_ignore_ascii_case("and") || *w == "&") {
        return true;
    }
    let Some(last) = head.last() else { return false };
    let last = last.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    const SINGULAR_ENDINGS: [&str; 6] = ["ss", "us", "is", "ics", "ous", "'s"];
    const SINGULAR_WORDS: [&str; 8] =
        ["species", "series", "diabetes", "news", "gas", "mass", "status", "lens"];
    last.len() > 2
        && last.ends_with('s')
        && !SINGULAR_ENDINGS.iter().any(|e| last.ends_with(e))
        && !SINGULAR_WORDS.contains(&last.as_str())
}

/// A predicate label as it reads after `subject`: conjugated for a plural
/// subject and negated for a null result.
///
/// "increases" → "does not increase" (negated), "increase" (plural);
/// "is required for" → "is not required for", "are required for".
pub fn predicate_phrase(label: &str, negated: bool, plural: bool) -> String {
    let (verb, rest) = label.split_once(' ').unwrap_or((label, ""));
    let join = |verb: &str, rest: &str| format!("{verb} {rest}").trim_end().to_string();
    match (verb, negated) {
        ("is", _) => {
            join(if plural { "are" } else { "is" }, &format!("{}{rest}", if negated { "not " } else { "" }))
        }
        ("has", false) => join(if plural { "have" } else { "has" }, rest),
        (_, true) => join(if plural { "do not" } else { "does not" }, &join(&bare(verb), rest)),
        (_, false) if plural => join(&bare(verb), rest),
        _ => label.to_string(),
    }
}

/// A verb phrase written for a singular subject ("increases", "is linked
/// to") as it reads after `subject`: "Oysters increase", "Oysters are
/// linked to".
pub fn agree(subject: &str, label: &str) -> String {
    predicate_phrase(label, false, is_plural(subject))
}

/// The sign shown beside a claim: its predicate's causal sign, or "null
/// result" for a negated claim, which asserts no effect at all (showing the
/// predicate's `+` there read as the opposite of what the claim says).
pub fn sign_note(sign: crate::model::Sign, negated: bool) -> &'static str {
    match (negated, sign) {
        (true, _) => "(null result)",
        (false, crate::model::Sign::Plus) => "(+)",
        (false, crate::model::Sign::Minus) => "(-)",
        (false, crate::model::Sign::None) => "(none)",
    }
}

/// The bare form of a third-person verb: "increases" → "increase",
/// "pushes" → "push", "has" → "have", "hydrolyses" → "hydrolyse".
fn bare(verb: &str) -> String {
    if verb == "has" {
        return "have".into();
    }
    for ending in ["sses", "shes", "ches", "xes", "zzes"] {
        if let Some(stem) = verb.strip_suffix(ending) {
            return format!("{stem}{}", &ending[..ending.len() - 2]);
        }
    }
    verb.strip_suffix('s').unwrap_or(verb).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negation_takes_the_bare_verb() {
        assert_eq!(predicate_phrase("increases", true, false), "does not increase");
        assert_eq!(predicate_phrase("is required for", true, false), "is not required for");
        assert_eq!(predicate_phrase("pushes", true, false), "does not push");
        assert_eq!(predicate_phrase("hydrolyses", false, false), "hydrolyses");
        assert_eq!(predicate_phrase("differentiates into", true, false), "does not differentiate into");
    }

    #[test]
    fn plural_subjects_agree() {
        assert!(
            is_plural("Thin floating ice panels")
                && is_plural("Rock trails")
                && is_plural("Phyto-oestrogens")
        );
        assert!(is_plural("Osteoblasts of the femur") && is_plural("Rock trails (Racetrack Playa)"));
        assert!(is_plural("Crab and lobster") && is_plural("Osteoblast number and activity"));
        assert!(!is_plural("Zinc (and its salts)") && !is_plural("Bone loss during fasting and illness"));
        for singular in [
            "Zinc",
            "Bone mass",
            "Osteoclast apoptosis",
            "Low zinc status",
            "Diabetes",
            "Bone",
            "Inorganic phosphate at mineralization sites",
            "Collagen matrix (type I collagens)",
            "",
        ] {
            assert!(!is_plural(singular), "{singular}");
        }
        assert_eq!(predicate_phrase("is required for", true, true), "are not required for");
        assert_eq!(predicate_phrase("increases", false, true), "increase");
        assert_eq!(predicate_phrase("increases", true, true), "do not increase");
        assert_eq!(predicate_phrase("pushes", false, true), "push");
        assert_eq!(predicate_phrase("has cofactor", false, true), "have cofactor");
    }
}
