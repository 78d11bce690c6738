//! An explorer in one HTML file: the diagram, clickable, with the evidence.
//!
//! The page reuses the Graphviz layout of the SVG export: the selection is
//! drawn as DOT (without tooltips and links, which the side panel replaces),
//! rendered by the real `dot`, and the SVG is embedded inline. Each node and
//! edge already carries a DOT `id` ([`dot::node_element_id`],
//! [`dot::edge_element_id`]) that Graphviz copies onto its `<g>`; this module
//! finds those groups by id and adds `data-entity` / `data-claims`,
//! `tabindex` and an `aria-label`. Post-processing by id, rather than DOT
//! `class` tricks, keeps the ids we control as the only thing we look for in
//! Graphviz's output.
//!
//! The data behind the panel (entities, claims with their evidence,
//! numbered references, each conflict once, and the context values the
//! in-page trace compares) is one JSON document in a
//! `<script type="application/json">`, with `<`, `>` and `&` escaped so no
//! string can close the tag. The trace is computed in the page from that
//! data, not embedded from `claimgraph trace`: a reader may trace any pair,
//! with the page's filters, in any selection, and a `--trace` export would
//! otherwise answer only the one pair it was made for. The page's own script (`explorer.js`) builds
//! every piece of text with `textContent` and writes only http(s) links, so a
//! name is never markup. The vendored svg-pan-zoom (BSD-2) gives zoom and
//! pan.
//!
//! A Content-Security-Policy meta forbids every load (`default-src 'none'`);
//! the two inline scripts are allowed by their SHA-256 hashes, computed here
//! at export time, and inline styles by `'unsafe-inline'` (svg-pan-zoom sets
//! a `style` attribute; a style cannot run code).

use super::dot::{self, Options};
use super::escape;
use super::render::{self, Image, RenderError};
use super::{conflict_groups, edges, Citations, Labels, Selection};
use crate::cite;
use crate::index::{ClaimIx, EntityIx, Index};
use crate::model::{PredicateClass, Sign, StudyLevel};
use crate::query::context::{self, ContextValue, HopContext};
use base64::Engine;
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

const PAN_ZOOM: &str = include_str!("vendor/svg-pan-zoom.min.js");
const EXPLORER: &str = include_str!("explorer.js");
const STYLE: &str = include_str!("explorer.css");

/// Up to this many drawn edges the page uses `dot`'s layered layout, the
/// SVG export's own (tiers, columns, legend). Above it `dot` becomes the
/// bottleneck (2,313 edges took 5–12 s of CPU; 6,596 had not finished after
/// 15 minutes on a loaded two-core machine; its crossing minimization and
/// ranking grow far faster than the graph), so the page is laid out by
/// Graphviz's force-directed `sfdp` instead ([`FORCE_LAYOUT`]), which drew
/// 9,685 edges in about 6 s of CPU. Such a picture is an overview to search,
/// trace and filter in, not a diagram to read, and the page says so.
pub const LAYERED_EDGES: usize = 2_000;

/// Above this many drawn edges `export --format html` refuses and says how to
/// narrow the selection: the page would take long to open and the drawing
/// is a disc of ink.
pub const MAX_EDGES: usize = 20_000;

/// Graphviz arguments for a selection too big for `dot`'s layout: `sfdp`,
/// nodes pushed apart (`prism`), straight edges (routing splines around
/// thousands of nodes costs more than the layout), and edges drawn first
/// so nodes stay on top and clickable.
const FORCE_LAYOUT: &[&str] = &["-Ksfdp", "-Goverlap=prism", "-Gsplines=false", "-Goutputorder=edgesfirst"];

/// The page and Graphviz's warnings.
#[derive(Debug)]
pub struct Page {
    pub html: String,
    pub warnings: Vec<String>,
    /// Drawn by `sfdp` because the selection has more than [`LAYERED_EDGES`].
    pub force_layout: bool,
}

/// The explorer page for `selection`. `source_name` (the graph file) names
/// the graph in Graphviz's messages.
pub fn page(
    index: &Index,
    selection: &Selection,
    labels: Labels,
    source_name: &str,
) -> Result<Page, RenderError> {
    let drawn = edges(index, selection).len();
    let force = drawn > LAYERED_EDGES;
    // The overview's legend counts its references; the page lists them.
    let options = Options { labels, links: false, reference_list: !force };
    let (graph, citations) = dot::build(index, selection, &options);
    let text = graph.print(&mut PrinterContext::default());
    let rendered =
        render::render_with(&text, Image::Svg, source_name, if force { FORCE_LAYOUT } else { &[] })?;
    let svg = String::from_utf8_lossy(&rendered.bytes);
    let svg = annotate(index, selection, strip_prolog(&svg));
    let data = data(index, selection, &citations);
    let note = force.then(|| {
        format!(
            "{drawn} edges: too many for the layered diagram (above {LAYERED_EDGES}), so this is a \
             force-directed overview. Search, trace and the filters find your way in it; narrow the \
             selection (--around ENTITY --depth 1, --max-entities N, --trace FROM TO) for the layered picture."
        )
    });
    let html = assemble(&dot::caption(index, selection), &svg, &data, &bibliography(index, &citations), note);
    Ok(Page { html, warnings: rendered.warnings, force_layout: force })
}

/// The `<svg>` element alone (no XML declaration or DOCTYPE, which HTML
/// does not want), sized to fill its container: the pan-zoom library fits
/// the drawing by its viewBox.
fn strip_prolog(svg: &str) -> String {
    let body = svg.find("<svg").map_or(svg, |at| &svg[at..]);
    let Some(end) = body.find('>') else { return body.to_string() };
    let mut open = body[..end].to_string();
    for name in [" width=\"", " height=\"", "\nwidth=\"", "\nheight=\""] {
        if let Some(at) = open.find(name) {
            if let Some(close) = open[at + name.len()..].find('"') {
                open.replace_range(at..at + name.len() + close + 1, "");
            }
        }
    }
    format!("{open} width=\"100%\" height=\"100%\" role=\"img\" aria-label=\"diagram\"{}", &body[end..])
}

/// Add `data-entity` to each entity's node group and `data-claims` to each
/// edge group, found by the ids the DOT gave them, and make both reachable
/// with the keyboard.
fn annotate(index: &Index, selection: &Selection, svg: String) -> String {
    let mut extra: BTreeMap<String, String> = BTreeMap::new();
    for (rank, e) in dot::entity_order(index, selection).into_iter().enumerate() {
        let entity = index.entity(e);
        extra.insert(
            dot::node_element_id(rank),
            format!(
                " data-entity=\"{}\" tabindex=\"0\" role=\"button\" aria-label=\"{}\"",
                attribute(&entity.id),
                attribute(&format!("{} ({})", entity.name, entity.kind))
            ),
        );
    }
    for (i, edge) in edges(index, selection).iter().enumerate() {
        let ids: Vec<&str> = edge.claims.iter().map(|&c| index.claim(c).id.as_str()).collect();
        let label = format!(
            "{} to {}: {} claim{}",
            index.entity(edge.subject).name,
            index.entity(edge.object).name,
            ids.len(),
            if ids.len() == 1 { "" } else { "s" }
        );
        extra.insert(
            dot::edge_element_id(i),
            format!(
                " data-claims=\"{}\" tabindex=\"0\" role=\"button\" aria-label=\"{}\"",
                attribute(&ids.join(" ")),
                attribute(&label)
            ),
        );
    }
    let mut out = String::with_capacity(svg.len() + extra.len() * 64);
    let mut rest = svg.as_str();
    while let Some(at) = rest.find("<g id=\"") {
        let start = at + "<g id=\"".len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let Some(end) = rest.find('"') else { break };
        let id = &rest[..end];
        out.push_str(&rest[..=end]);
        rest = &rest[end + 1..];
        if let Some(more) = extra.get(id) {
            out.push_str(more);
        }
    }
    out.push_str(rest);
    out
}

/// Text for an HTML attribute value or element content: the crate's one
/// HTML escaping rule.
fn attribute(text: &str) -> String {
    crate::escape::html(text).into_owned()
}

/// JSON that is safe inside `<script type="application/json">`: `<`, `>`
/// and `&` as `\u` escapes (so neither `</script>` nor `<!--` can appear),
/// and the two line separators JavaScript once treated as newlines.
pub fn script_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A link for a cross-reference (`CHEBI:29105`), always https; prefixes we
/// do not know go through identifiers.org's resolver.
pub fn xref_link(xref: &str) -> Option<String> {
    let (prefix, local) = xref.split_once(':')?;
    if prefix.is_empty() || local.is_empty() {
        return None;
    }
    let link = match prefix.to_ascii_uppercase().as_str() {
        "CHEBI" => format!("https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:{local}"),
        "GO" | "CL" | "UBERON" | "HP" | "DOID" | "MONDO" | "PR" => {
            format!("https://purl.obolibrary.org/obo/{}_{local}", prefix.to_ascii_uppercase())
        }
        "EC" => format!("https://www.enzyme-database.org/query.php?ec={local}"),
        "HGNC" => format!("https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:{local}"),
        "UNIPROT" | "UNIPROTKB" => format!("https://www.uniprot.org/uniprotkb/{local}"),
        "NCBIGENE" => format!("https://www.ncbi.nlm.nih.gov/gene/{local}"),
        "MESH" => format!("https://meshb.nlm.nih.gov/record/ui?ui={local}"),
        _ => format!("https://identifiers.org/{prefix}:{local}"),
    };
    Some(escape::url(&link))
}

fn sign_text(sign: Sign) -> Value {
    match sign {
        Sign::Plus => json!("+"),
        Sign::Minus => json!("-"),
        Sign::None => Value::Null,
    }
}

/// A study level as a number for comparisons in the page: its position
/// among the graph's study types by rank (larger is stronger).
fn level_rank(level: Option<StudyLevel>) -> Value {
    level.map_or(Value::Null, |l| json!(l.0))
}

/// Everything the panel, search, filters and trace read.
fn data(index: &Index, selection: &Selection, citations: &Citations) -> Value {
    let numbers: BTreeMap<u32, usize> = citations.list().map(|(n, r)| (r, n)).collect();
    let drawn = edges(index, selection);
    let mut edge_of: BTreeMap<ClaimIx, String> = BTreeMap::new();
    for (i, e) in drawn.iter().enumerate() {
        for &c in &e.claims {
            edge_of.insert(c, dot::edge_element_id(i));
        }
    }
    let groups = conflict_groups(index, selection);
    let conflict_of: BTreeMap<ClaimIx, usize> = groups
        .iter()
        .enumerate()
        .flat_map(|(n, g)| g.side.iter().chain(&g.against).map(move |&c| (c, n)))
        .collect();
    let claim_id = |c: &ClaimIx| index.claim(*c).id.as_str();
    let conflicts: Vec<Value> = groups
        .iter()
        .map(|g| {
            json!([
                g.side.iter().map(claim_id).collect::<Vec<_>>(),
                g.against.iter().map(claim_id).collect::<Vec<_>>()
            ])
        })
        .collect();
    let mut contexts = Contexts::default();
    let entities: Vec<Value> =
        dot::entity_order(index, selection).into_iter().map(|e| entity_data(index, e)).collect();
    let claims: Vec<Value> = selection
        .claims
        .iter()
        .map(|&c| {
            let mut claim = claim_data(index, c, &numbers, edge_of.get(&c), conflict_of.get(&c));
            if let Some(ctx) = contexts.of_claim(index, c) {
                claim["context"] = ctx;
            }
            claim
        })
        .collect();
    let references: Vec<Value> = citations
        .list()
        .map(|(n, r)| {
            let reference = index.reference(r);
            json!({"n": n, "id": reference.id, "short": cite::short(reference), "link": reference.link()})
        })
        .collect();
    let full = {
        let refs: Vec<_> = citations.list().map(|(_, r)| index.reference(r)).collect();
        cite::list_entries(&refs, cite::Markup::Text)
    };
    let references: Vec<Value> = references
        .into_iter()
        .zip(full)
        .map(|(mut r, citation)| {
            r["citation"] = json!(citation);
            r
        })
        .collect();
    let levels: Vec<Value> = index
        .vocab
        .levels()
        .map(|l| {
            json!({"id": index.vocab.study_id(l), "label": index.vocab.study_label(l), "rank": level_rank(Some(l))})
        })
        .collect();
    json!({
        "caption": selection.caption,
        "levels": levels,
        "entities": entities,
        "claims": claims,
        "conflicts": conflicts,
        "contexts": contexts.table(index),
        "references": references,
    })
}

/// The context values (species, tissue, condition) the page's trace needs
/// to flag paths that move between contexts as `claimgraph trace` does
/// ([`crate::query::context`]): each value once, with the values it is
/// compatible with worked out here, so the vocabulary's rules stay in Rust
/// and the page only applies the carry-forward rule.
#[derive(Default)]
struct Contexts {
    values: Vec<ContextValue>,
    numbers: BTreeMap<ContextValue, usize>,
}

impl Contexts {
    /// A claim's context as three lists of value numbers (species, tissue,
    /// condition), or None when its evidence names none.
    fn of_claim(&mut self, index: &Index, c: ClaimIx) -> Option<Value> {
        let ctx = HopContext::of_claims(index, &[c]);
        if ctx.fields.iter().all(Vec::is_empty) {
            return None;
        }
        let fields: Vec<Vec<usize>> =
            ctx.fields.iter().map(|values| values.iter().map(|v| self.number(v)).collect()).collect();
        Some(json!(fields))
    }

    fn number(&mut self, value: &ContextValue) -> usize {
        if let Some(&n) = self.numbers.get(value) {
            return n;
        }
        self.values.push(value.clone());
        self.numbers.insert(value.clone(), self.values.len() - 1);
        self.values.len() - 1
    }

    /// `[{label, compatible: [numbers]}]`, in number order.
    fn table(&self, index: &Index) -> Value {
        let vocab = &index.vocab;
        self.values
            .iter()
            .map(|v| {
                let compatible: Vec<usize> = (0..self.values.len())
                    .filter(|&n| context::compatible(vocab, v, &self.values[n]))
                    .collect();
                json!({"label": v.label(vocab), "compatible": compatible})
            })
            .collect()
    }
}

fn entity_data(index: &Index, e: EntityIx) -> Value {
    let entity = index.entity(e);
    let xrefs: Vec<Value> = entity.xrefs.iter().map(|x| json!({"id": x, "link": xref_link(x)})).collect();
    json!({
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "group": entity.group,
        "aliases": entity.aliases,
        "xrefs": xrefs,
        "description": entity.description,
    })
}

fn claim_data(
    index: &Index,
    c: ClaimIx,
    numbers: &BTreeMap<u32, usize>,
    edge: Option<&String>,
    conflict: Option<&usize>,
) -> Value {
    let claim = index.claim(c);
    let facts = index.claim_facts(c);
    let predicate = index.predicate(c);
    let words = predicate.map_or(claim.predicate.to_string(), |p| p.display().to_string());
    let class = predicate.map_or("unknown", |p| match p.class {
        PredicateClass::Causal => "causal",
        PredicateClass::Correlative => "correlative",
        _ => "structural",
    });
    let evidence: Vec<Value> = claim
        .evidence
        .iter()
        .map(|ev| {
            let number = index.reference_ix(&ev.reference).and_then(|r| numbers.get(&r));
            without_nulls(json!({
                "ref": number,
                "key": ev.reference,
                "study": ev.level(&index.vocab).map_or(ev.study.to_string(), |l| index.vocab.study_label(l).to_string()),
                "species": ev.species, "model": ev.model, "tissue": ev.tissue,
                "condition": ev.condition, "summary": ev.summary, "quote": ev.quote(),
                "locator": ev.locator(),
            }))
        })
        .collect();
    let refs: Vec<usize> = index.claim_refs(c).iter().filter_map(|r| numbers.get(r).copied()).collect();
    json!({
        "id": claim.id,
        "subject": claim.subject,
        "object": claim.object,
        "predicate": claim.predicate,
        "words": words,
        "class": class,
        "sign": sign_text(facts.sign),
        "negated": facts.negated,
        "certainty": claim.certainty,
        "certainty_rank": facts.certainty.map(|c| c as u8),
        "contested": facts.contested(),
        "best": level_rank(facts.best),
        "refs": refs,
        "conflict": conflict,
        "note": claim.note,
        "evidence": evidence,
        "edge": edge,
    })
}

/// An object without its null members: most evidence items leave most
/// context fields unset, and the page reads a missing field as unset.
fn without_nulls(mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        map.retain(|_, v| !v.is_null());
    }
    value
}

/// The numbered reference list, in the diagram's numbering.
fn bibliography(index: &Index, citations: &Citations) -> String {
    let refs: Vec<_> = citations.list().collect();
    let full = cite::list_entries(
        &refs.iter().map(|&(_, r)| index.reference(r)).collect::<Vec<_>>(),
        cite::Markup::Text,
    );
    let mut out = String::from("<ol class=\"bibliography\">");
    for ((n, r), text) in refs.into_iter().zip(full) {
        let link = index
            .reference(r)
            .link()
            .map(|l| {
                let l = escape::url(&l);
                format!(
                    " <a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a>",
                    attribute(&l),
                    attribute(&l)
                )
            })
            .unwrap_or_default();
        out.push_str(&format!("<li id=\"ref-{n}\" value=\"{n}\">{}{link}</li>", attribute(&text)));
    }
    out.push_str("</ol>");
    out
}

fn sha256(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// The whole page. Scripts go in verbatim: the CSP hashes are of exactly
/// these bytes.
fn assemble(caption: &str, svg: &str, data: &Value, bibliography: &str, note: Option<String>) -> String {
    let csp = format!(
        "default-src 'none'; script-src {} {}; style-src 'unsafe-inline'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        sha256(PAN_ZOOM),
        sha256(EXPLORER)
    );
    let title = attribute(caption);
    let data = script_json(data);
    let note = note
        .map(|n| format!("\n  <p id=\"layout-note\" class=\"hint\">{}</p>", attribute(&n)))
        .unwrap_or_default();
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="claimgraph">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
  <h1>{title}</h1>{note}
  <div id="controls">
    <form id="search-form" role="search" autocomplete="off">
      <label>Search <input id="search" type="search" placeholder="name or alias" list="entity-names"></label>
      <span class="group" aria-label="zoom">
        <button type="button" id="zoom-in" title="Zoom in" aria-label="Zoom in">+</button>
        <button type="button" id="zoom-out" title="Zoom out" aria-label="Zoom out">−</button>
        <button type="button" id="zoom-fit" title="Fit to screen">Fit</button>
      </span>
    </form>
    <fieldset class="filters"><legend>Filters</legend>
      <label>Evidence at least <select id="min-evidence"><option value="">any</option></select></label>
      <label><input type="checkbox" id="hide-contested"> hide contested</label>
      <label><input type="checkbox" id="hide-negated"> hide negated</label>
      <label>Sign <select id="sign-filter"><option value="">any</option><option value="+">+ increases</option><option value="-">− decreases</option><option value="none">unsigned</option></select></label>
    </fieldset>
    <form id="trace-form" autocomplete="off"><fieldset class="trace"><legend>Trace</legend>
      <label>From <input id="trace-from" list="entity-names" placeholder="e.g. zinc"></label>
      <label>To <input id="trace-to" list="entity-names" placeholder="e.g. bone mineralization"></label>
      <button type="submit" id="trace-run">Trace</button>
      <button type="button" id="trace-clear">Clear</button>
    </fieldset></form>
    <datalist id="entity-names"></datalist>
  </div>
</header>
<main>
  <section id="diagram" aria-label="diagram: click or press Enter on an edge or node">{svg}</section>
  <aside id="sidebar">
    <section id="trace-results" aria-live="polite"></section>
    <div id="details" tabindex="-1" aria-live="polite"><p class="hint">Click an edge (or focus it with Tab and press Enter) to see its claims and evidence; click an entity for its description and claims.</p></div>
  </aside>
</main>
<section id="references"><h2>References</h2>{bibliography}</section>
<footer>Made by claimgraph. Works offline: nothing on this page loads from the network.</footer>
<script type="application/json" id="claimgraph-data">{data}</script>
<script>{PAN_ZOOM}</script>
<script>{EXPLORER}</script>
</body>
</html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_tag() {
        let text = script_json(&json!({"name": "</script><script>alert(1)</script> <!-- & \u{2028}"}));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> <!-- & \u{2028}");
    }

    #[test]
    fn xrefs_link_over_https_only() {
        assert_eq!(
            xref_link("CHEBI:29105").as_deref(),
            Some("https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:29105")
        );
        assert_eq!(xref_link("CL:0000062").as_deref(), Some("https://purl.obolibrary.org/obo/CL_0000062"));
        assert_eq!(xref_link("X:<&>").as_deref(), Some("https://identifiers.org/X:%3C&%3E"));
        assert_eq!(xref_link("no-prefix"), None);
    }

    #[test]
    fn attributes_escape_markup() {
        assert_eq!(attribute("\"><img onerror=x>'"), "&quot;&gt;&lt;img onerror=x&gt;&#39;");
    }
}
