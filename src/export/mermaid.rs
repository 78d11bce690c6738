//! A selection as a Mermaid flowchart, for Markdown (GitHub, GitLab and
//! most wikis render a ```` ```mermaid ```` block).
//!
//! Mermaid node ids are generated (`n0`, `n1`, … in entity-id order), so no
//! name can clash with its syntax; every label is quoted and passed through
//! [`escape::mermaid`]. Edges are the diagram's merged edges (see
//! [`edges`]): the arrow says the sign (`-->` increases, `--x` decreases,
//! dotted for correlations, `-.-o` unsigned), the label the predicate and
//! the short citations, and `linkStyle` colours negated (vermillion), weak
//! (grey, dashed) and faded edges as the DOT diagrams do.

use super::escape;
use super::{edges, kind_style, DrawnEdge, Effect, Selection};
use crate::cite;
use crate::index::{EntityIx, Index};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// Mermaid's default `maxEdges`, which GitHub keeps: a flowchart with more
/// edges does not render at all.
pub const MAX_EDGES: usize = 500;

/// Okabe–Ito vermillion, as in the DOT diagrams.
const NEGATED: &str = "#D55E00";
const WEAK: &str = "#888888";
const FADED: &str = "#BBBBBB";

/// Write the Mermaid flowchart of `selection` to `out`.
pub fn write(index: &Index, selection: &Selection, out: &mut dyn Write) -> io::Result<()> {
    let title = index.title();
    let caption = if title.is_empty() || title == selection.caption {
        selection.caption.clone()
    } else {
        format!("{title} — {}", selection.caption)
    };
    // A comment runs to the end of its line.
    writeln!(out, "%% {}", caption.replace(['\n', '\r'], " "))?;
    writeln!(out, "flowchart LR")?;
    let mut order: Vec<EntityIx> = selection.entities.iter().copied().collect();
    order.sort_by(|&a, &b| index.entity(a).id.cmp(&index.entity(b).id));
    let ids: BTreeMap<EntityIx, String> =
        order.iter().enumerate().map(|(i, &e)| (e, format!("n{i}"))).collect();
    for &e in &order {
        writeln!(out, "    {}[\"{}\"]", ids[&e], escape::mermaid(&index.entity(e).name))?;
    }
    let drawn = edges(index, selection);
    let mut styles: Vec<String> = Vec::new();
    // `linkStyle` counts links in the order they are written.
    let mut written = 0;
    for edge in &drawn {
        let (Some(s), Some(o)) = (ids.get(&edge.subject), ids.get(&edge.object)) else { continue };
        let label = escape::mermaid(&edge_label(index, edge));
        writeln!(out, "    {s} {}|\"{label}\"| {o}", arrow(edge.effect))?;
        if let Some(style) = link_style(selection, edge) {
            styles.push(format!("    linkStyle {written} {style}"));
        }
        written += 1;
    }
    for line in styles {
        writeln!(out, "{line}")?;
    }
    kind_classes(index, &order, &ids, out)
}

fn arrow(effect: Effect) -> &'static str {
    match effect {
        Effect::Increases => "-->",
        Effect::Decreases => "--x",
        Effect::CorrelatesPositively => "-.->",
        Effect::CorrelatesNegatively => "-.-x",
        Effect::Unsigned => "-.-o",
    }
}

/// "NOT increases · Seo et al. 2010; Cousins et al. 2014", one line per predicate.
fn edge_label(index: &Index, edge: &DrawnEdge) -> String {
    let mut by_predicate: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
    for &c in &edge.claims {
        by_predicate.entry(index.claim(c).predicate.as_str()).or_default().extend(index.claim_refs(c));
    }
    let not = if edge.negated { "NOT " } else { "" };
    by_predicate
        .iter()
        .map(|(predicate, refs)| {
            let words = predicate.replace('_', " ");
            let cites: Vec<String> = refs.iter().map(|&r| cite::short(index.reference(r))).collect();
            if cites.is_empty() {
                format!("{not}{words}")
            } else {
                format!("{not}{words} · {}", cites.join("; "))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn link_style(selection: &Selection, edge: &DrawnEdge) -> Option<String> {
    if selection.highlight.is_some() && !edge.highlighted {
        return Some(format!("stroke:{FADED}"));
    }
    match (edge.negated, edge.weak) {
        (true, _) => Some(format!("stroke:{NEGATED},color:{NEGATED}")),
        (false, true) => Some(format!("stroke:{WEAK},stroke-dasharray:3 3")),
        (false, false) => None,
    }
}

/// A class per kind with the DOT diagrams' fill; class names are generated
/// (`kind0`, …) so a kind id never reaches the syntax.
fn kind_classes(
    index: &Index,
    order: &[EntityIx],
    ids: &BTreeMap<EntityIx, String>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut by_kind: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in order {
        by_kind.entry(index.entity(*e).kind.as_str()).or_default().push(&ids[e]);
    }
    for (i, (kind, members)) in by_kind.iter().enumerate() {
        writeln!(out, "    classDef kind{i} fill:{},stroke:#444444,color:#222222", kind_style(kind).fill)?;
        writeln!(out, "    class {} kind{i}", members.join(","))?;
    }
    Ok(())
}
