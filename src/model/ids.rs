//! Identifier rules: slugs for our own ids, and DOI / PMID / PMCID forms.

/// Strip the resolver prefixes people paste (`https://doi.org/`, `doi:`) and
/// lower-case, because DOIs compare case-insensitively.
pub fn normalize_doi(doi: &str) -> String {
    let trimmed = doi.trim();
    let lower = trimmed.to_ascii_lowercase();
    let prefixes = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi.org/",
        "doi:",
    ];
    let rest =
        prefixes.iter().find(|p| lower.starts_with(*p)).map(|p| &trimmed[p.len()..]).unwrap_or(trimmed);
    rest.trim().to_lowercase()
}

/// A DOI is `10.` + a registrant code of digits (dots allowed) + `/` + a suffix.
pub fn valid_doi(doi: &str) -> bool {
    let d = normalize_doi(doi);
    let Some(rest) = d.strip_prefix("10.") else {
        return false;
    };
    let Some((registrant, suffix)) = rest.split_once('/') else {
        return false;
    };
    !registrant.is_empty()
        && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !suffix.is_empty()
        && !suffix.chars().any(unsafe_in_doi)
}

/// Characters a DOI may in principle hold but never does in practice, and
/// that break out of an HTML attribute or a Markdown link (`10.1000/">…`):
/// refused so that no output has to rely on escaping alone.
fn unsafe_in_doi(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>')
}

/// A PubMed id is digits only (no `PMID:` prefix).
pub fn valid_pmid(pmid: &str) -> bool {
    !pmid.is_empty() && pmid.len() <= 9 && pmid.chars().all(|c| c.is_ascii_digit())
}

/// A PubMed Central id is `PMC` followed by digits.
pub fn valid_pmcid(pmcid: &str) -> bool {
    pmcid
        .strip_prefix("PMC")
        .is_some_and(|digits| !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
}

/// Our own ids are readable slugs: lower-case letters, digits, `-`, `_`, `.`,
/// starting with a letter or digit. They appear in URLs, DOT and shells.
pub fn valid_slug(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doi_prefixes_are_stripped_and_case_folded() {
        assert_eq!(normalize_doi("https://doi.org/10.4162/NRP.2010.4.5.356"), "10.4162/nrp.2010.4.5.356");
        assert_eq!(normalize_doi("doi:10.1000/X"), "10.1000/x");
        assert_eq!(normalize_doi(" DOI: 10.1000/x "), "10.1000/x");
    }

    #[test]
    fn malformed_identifiers_are_rejected() {
        assert!(valid_doi("10.7554/eLife.01567"));
        assert!(!valid_doi("10.7554"));
        assert!(!valid_doi("7554/elife"));
        assert!(!valid_doi("10.abc/x"));
        assert!(!valid_doi("10.1000/\"><script>alert(2)</script>"));
        assert!(!valid_doi("10.1000/a\u{1b}b"));
        assert!(!valid_doi("10.1000/a b"));
        assert!(valid_pmid("21103080"));
        assert!(!valid_pmid("PMID:21103080"));
        assert!(valid_pmcid("PMC7287917"));
        assert!(!valid_pmcid("7287917"));
        assert!(valid_slug("zinc--cofactor_of--alp"));
        assert!(!valid_slug("Zinc"));
        assert!(!valid_slug("-x"));
    }
}
