//! Citations: references formatted for people.
//!
//! The plain formatter here is what `trace`, `show` and `export` print inline
//! (short keys and a compact bibliography line).

use crate::model::Reference;

/// "Seo et al. 2010", "Seo & Cho 2010", "Seo 2010", or the key when there is nothing better.
pub fn short(r: &Reference) -> String {
    let surname = |a: &String| a.split([',', ' ']).next().unwrap_or(a).to_string();
    let who = match r.authors.as_slice() {
        [] => return r.id.clone(),
        [one] => surname(one),
        [a, b] => format!("{} & {}", surname(a), surname(b)),
        [a, ..] => format!("{} et al.", surname(a)),
    };
    match r.year {
        Some(y) => format!("{who} {y}"),
        None => who,
    }
}

/// One bibliography line: authors (first six, then "et al."), year, title,
/// journal with volume/issue/pages, then DOI and PMID.
pub fn plain(r: &Reference) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !r.authors.is_empty() {
        let mut authors = r.authors.iter().take(6).cloned().collect::<Vec<_>>().join(", ");
        if r.authors.len() > 6 {
            authors.push_str(", et al.");
        }
        parts.push(authors);
    }
    parts.push(match r.year {
        Some(y) => format!("({y})."),
        None => "(n.d.).".into(),
    });
    if !r.title.is_empty() {
        parts.push(end_with_period(&r.title));
    }
    if let Some(source) = source_line(r) {
        parts.push(source);
    }
    if let Some(doi) = &r.doi {
        parts.push(format!("doi:{}", crate::model::normalize_doi(doi)));
    }
    if let Some(pmid) = &r.pmid {
        parts.push(format!("PMID {pmid}."));
    }
    if r.doi.is_none() && r.pmid.is_none() {
        if let Some(url) = &r.url {
            parts.push(url.clone());
        }
    }
    parts.join(" ")
}

/// "Journal 4(5):356-361."
fn source_line(r: &Reference) -> Option<String> {
    let journal = r.journal.as_deref()?;
    let mut s = journal.to_string();
    if let Some(v) = &r.volume {
        s.push_str(&format!(" {v}"));
    }
    if let Some(i) = &r.issue {
        s.push_str(&format!("({i})"));
    }
    if let Some(p) = &r.pages {
        s.push_str(&format!(":{p}"));
    }
    Some(end_with_period(&s))
}

fn end_with_period(s: &str) -> String {
    let s = s.trim();
    if s.ends_with(['.', '?', '!']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_citations_name_first_author_and_year() {
        let mut r = Reference {
            id: "k".into(),
            authors: vec!["Seo HJ".into(), "Cho YE".into(), "Kim T".into()],
            year: Some(2010),
            ..Default::default()
        };
        assert_eq!(short(&r), "Seo et al. 2010");
        r.authors.truncate(2);
        assert_eq!(short(&r), "Seo & Cho 2010");
        r.authors.clear();
        assert_eq!(short(&r), "k");
    }
}
