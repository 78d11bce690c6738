//! What the two directory exports (Neo4j CSV, KGX TSV) share: writing a
//! directory of files atomically and streamed, and the references a
//! selection cites.
//!
//! A million-claim export is hundreds of megabytes of text, so each file is
//! streamed through a buffer into a temporary file beside its target and
//! renamed over it: a reader sees the old file or the new one, never half,
//! and memory stays flat.

use super::Selection;
use crate::index::{Index, RefIx};
use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Write `dir/name` by streaming `body` into a temporary file, then renaming it.
pub fn write_file(
    dir: &Path,
    name: &str,
    body: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        body(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The references to export with a selection: every one for the whole
/// graph (uncited ones included), else those its claims cite.
pub fn references(index: &Index, selection: &Selection) -> BTreeSet<RefIx> {
    if selection.claims.len() == index.claim_count() && selection.entities.len() == index.entity_count() {
        return (0..index.reference_count() as RefIx).collect();
    }
    selection.claims.iter().flat_map(|&c| index.claim_refs(c).iter().copied()).collect()
}

/// A publication as a CURIE: `PMID:…`, else `doi:…`, else `PMC…`; `None`
/// for a reference with none of them (a book, a web page).
pub fn publication_curie(reference: &crate::model::Reference) -> Option<String> {
    if let Some(pmid) = reference.pmid.as_deref().filter(|p| crate::model::valid_pmid(p)) {
        return Some(format!("PMID:{pmid}"));
    }
    if let Some(doi) = reference.doi.as_deref().filter(|d| !d.is_empty()) {
        return Some(format!("doi:{}", crate::model::normalize_doi(doi)));
    }
    reference.pmcid.as_deref().filter(|p| !p.is_empty()).map(|p| format!("PMCID:{p}"))
}
