//! A selection as Graphviz DOT, built with graphviz-rust's model.
//!
//! The output is deterministic: statements are emitted in a fixed order
//! (tiers, then entity id; edges by subject id, object id, effect), so the
//! same graph and selection give byte-identical DOT, and checked-in diagrams
//! diff cleanly. Every string from the graph goes through [`escape`].

use super::escape::{self, escape, html_label, quoted, Context};
use super::{columns, edges, kind_style, Citations, DrawnEdge, Effect, Ranking, Selection};
use crate::cite;
use crate::index::{ClaimIx, EntityIx, Index};
use crate::model::Reference;
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// Node labels wrap at this many characters, so long names make tall boxes
/// instead of very wide ones.
const WRAP: usize = 22;
const FONT: &str = "Helvetica";
const INK: &str = "#222222";
const FADED: &str = "#BBBBBB";
const WEAK: &str = "#888888";
/// Okabe–Ito vermillion: negated claims ("does NOT …").
const NEGATED: &str = "#D55E00";

/// The DOT text of a selection, ending in a newline.
pub fn to_string(index: &Index, selection: &Selection) -> String {
    let mut ctx = PrinterContext::default();
    let mut text = build(index, selection).print(&mut ctx);
    text.push('\n');
    text
}

/// Write the DOT text of a selection to `out`.
pub fn write(index: &Index, selection: &Selection, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(to_string(index, selection).as_bytes())
}

/// The selection as a graphviz-rust graph.
pub fn build(index: &Index, selection: &Selection) -> Graph {
    let drawn = edges(index, selection);
    let columns = match selection.ranking {
        Ranking::ByKind => Some(columns(index, selection)),
        Ranking::FromTo { .. } => None,
    };
    let mut citations = Citations::default();
    let edge_stmts: Vec<Stmt> = drawn
        .iter()
        .map(|e| Stmt::Edge(edge(index, selection, columns.as_ref(), e, &mut citations)))
        .collect();
    let mut stmts = defaults(index, selection);
    stmts.extend(nodes(index, selection, columns.as_ref()));
    stmts.extend(edge_stmts);
    stmts.push(Stmt::Subgraph(legend(index, selection, &drawn, &citations)));
    Graph::DiGraph { id: quoted("claimgraph"), strict: false, stmts }
}

fn attr(name: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(name.to_string()), quoted(value))
}

fn html_attr(name: &str, markup: String) -> Attribute {
    Attribute(Id::Plain(name.to_string()), html_label(markup))
}

fn defaults(index: &Index, selection: &Selection) -> Vec<Stmt> {
    let title = index.title();
    let caption = if title.is_empty() || *title == selection.caption {
        selection.caption.clone()
    } else {
        format!("{title} — {}", selection.caption)
    };
    vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", "LR"),
            attr("ranksep", "0.9"),
            attr("nodesep", "0.4"),
            attr("fontname", FONT),
            attr("fontsize", "16"),
            attr("labelloc", "t"),
            attr("labeljust", "l"),
            attr("label", &caption),
            attr("tooltip", &caption),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("fontname", FONT),
            attr("fontsize", "13"),
            attr("style", "filled"),
            attr("color", "#444444"),
            attr("fontcolor", INK),
            attr("margin", "0.12,0.06"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", FONT),
            attr("fontsize", "11"),
            attr("color", "#444444"),
            attr("fontcolor", INK),
            attr("arrowsize", "0.8"),
        ])),
    ]
}

/// Entity nodes: in columns along the causal flow, or for a trace with the
/// source first and the target last.
fn nodes(index: &Index, selection: &Selection, columns: Option<&BTreeMap<EntityIx, u32>>) -> Vec<Stmt> {
    match (selection.ranking, columns) {
        (Ranking::FromTo { source, target }, _) => trace_nodes(index, selection, source, target),
        (Ranking::ByKind, Some(columns)) => column_nodes(index, selection, columns),
        (Ranking::ByKind, None) => {
            selection.entities.iter().map(|&e| Stmt::Node(node(index, selection, e))).collect()
        }
    }
}

/// One same-rank group per column (see [`columns`]), each sorted by id, with
/// an invisible anchor per column chained left to right so the columns keep
/// their order whatever the claims say.
fn column_nodes(index: &Index, selection: &Selection, columns: &BTreeMap<EntityIx, u32>) -> Vec<Stmt> {
    let mut groups: BTreeMap<u32, Vec<(&str, EntityIx)>> = BTreeMap::new();
    for (&e, &column) in columns {
        groups.entry(column).or_default().push((index.entity(e).id.as_str(), e));
    }
    let mut stmts = Vec::new();
    let mut previous: Option<NodeId> = None;
    for (column, mut members) in groups {
        members.sort();
        let anchor = node_id(&format!("column:{column}"));
        let mut inner = vec![
            Stmt::Attribute(attr("rank", "same")),
            Stmt::Node(Node {
                id: anchor.clone(),
                attributes: vec![attr("style", "invis"), attr("shape", "point"), attr("width", "0")],
            }),
        ];
        inner.extend(members.iter().map(|&(_, e)| Stmt::Node(node(index, selection, e))));
        stmts.push(Stmt::Subgraph(Subgraph { id: quoted(&format!("column_{column}")), stmts: inner }));
        if let Some(previous) = previous.replace(anchor.clone()) {
            stmts.push(Stmt::Edge(Edge {
                ty: EdgeTy::Pair(Vertex::N(previous), Vertex::N(anchor)),
                attributes: vec![attr("style", "invis")],
            }));
        }
    }
    stmts
}

/// The source alone on the first rank, the target alone on the last, the
/// rest (sorted by id) wherever their distance from the source puts them.
fn trace_nodes(index: &Index, selection: &Selection, source: EntityIx, target: EntityIx) -> Vec<Stmt> {
    let pinned = |name: &str, rank: &str, e: EntityIx| {
        Stmt::Subgraph(Subgraph {
            id: quoted(name),
            stmts: vec![Stmt::Attribute(attr("rank", rank)), Stmt::Node(node(index, selection, e))],
        })
    };
    let mut middle: Vec<(&str, EntityIx)> = selection
        .entities
        .iter()
        .filter(|&&e| e != source && e != target)
        .map(|&e| (index.entity(e).id.as_str(), e))
        .collect();
    middle.sort();
    let mut stmts = vec![pinned("source", "source", source)];
    stmts.extend(middle.iter().map(|&(_, e)| Stmt::Node(node(index, selection, e))));
    if target != source {
        stmts.push(pinned("target", "sink", target));
    }
    stmts
}

fn node(index: &Index, selection: &Selection, e: EntityIx) -> Node {
    let entity = index.entity(e);
    let style = kind_style(&entity.kind);
    let mut attributes = vec![
        attr("label", &wrap(&entity.name, WRAP)),
        attr("shape", style.shape),
        attr("tooltip", &node_tooltip(index, e)),
    ];
    if style.shape == "box" {
        attributes.push(attr("style", "filled,rounded"));
    }
    if selection.is_highlighted_entity(e) {
        attributes.push(attr("fillcolor", style.fill));
        if selection.highlight.is_some() {
            attributes.push(attr("penwidth", "2"));
        }
    } else {
        // Graphviz reads #RRGGBBAA: the kind's colour, mostly transparent.
        attributes.push(attr("fillcolor", &format!("{}40", style.fill)));
        attributes.push(attr("color", FADED));
        attributes.push(attr("fontcolor", WEAK));
    }
    Node { id: node_id(&entity.id), attributes }
}

fn node_id(id: &str) -> NodeId {
    NodeId(quoted(id), None)
}

fn node_tooltip(index: &Index, e: EntityIx) -> String {
    let entity = index.entity(e);
    let mut lines = vec![format!("{} ({}) — {}", entity.name, entity.id, entity.kind)];
    if !entity.aliases.is_empty() {
        lines.push(format!("aliases: {}", entity.aliases.join(", ")));
    }
    if !entity.xrefs.is_empty() {
        lines.push(format!("xrefs: {}", entity.xrefs.join(", ")));
    }
    if let Some(d) = &entity.description {
        lines.push(d.to_string());
    }
    lines.join("\n")
}

fn edge(
    index: &Index,
    selection: &Selection,
    columns: Option<&BTreeMap<EntityIx, u32>>,
    drawn: &DrawnEdge,
    citations: &mut Citations,
) -> Edge {
    let (label, tooltip) = edge_texts(index, drawn, citations);
    let faded = selection.highlight.is_some() && !drawn.highlighted;
    let colour = match (faded, drawn.negated, drawn.weak) {
        (true, _, _) => FADED,
        (false, true, _) => NEGATED,
        (false, false, true) => WEAK,
        (false, false, false) => "#333333",
    };
    let line = if drawn.weak { "dotted" } else { drawn.effect.line() };
    let mut attributes = vec![
        attr("label", &label),
        attr("tooltip", &tooltip),
        attr("labeltooltip", &tooltip),
        attr("arrowhead", drawn.effect.arrowhead()),
        attr("style", line),
        attr("color", colour),
    ];
    if colour != "#333333" {
        attributes.push(attr("fontcolor", if faded { WEAK } else { colour }));
    }
    // A claim from a later column to an earlier one (a cell producing an
    // enzyme) is drawn but does not get to rank its nodes.
    if columns.is_some_and(|c| c[&drawn.subject] > c[&drawn.object]) {
        attributes.push(attr("constraint", "false"));
    }
    if selection.highlight.is_some() && drawn.highlighted {
        attributes.push(attr("penwidth", "2.5"));
        attributes.push(attr("weight", "4"));
    }
    if let Some(link) = first_link(index, &drawn.claims) {
        attributes.push(attr("URL", &escape::url(&link)));
        attributes.push(attr("target", "_blank"));
    }
    Edge {
        ty: EdgeTy::Pair(
            Vertex::N(node_id(&index.entity(drawn.subject).id)),
            Vertex::N(node_id(&index.entity(drawn.object).id)),
        ),
        attributes,
    }
}

/// The first reference (in claim and evidence order) that has a link. Only
/// http(s) links come back from `Reference::link`.
fn first_link(index: &Index, claims: &[ClaimIx]) -> Option<String> {
    claims.iter().flat_map(|&c| index.claim_refs(c)).find_map(|&r| index.reference(r).link())
}

/// The label ("activates [1,2]", one line per predicate) and the tooltip
/// (each claim with its evidence and citations).
fn edge_texts(index: &Index, drawn: &DrawnEdge, citations: &mut Citations) -> (String, String) {
    let mut by_predicate: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut tooltip: Vec<String> = Vec::new();
    for &c in &drawn.claims {
        let claim = index.claim(c);
        let numbers = by_predicate.entry(&claim.predicate).or_default();
        for &r in index.claim_refs(c) {
            numbers.insert(citations.number(r));
        }
        tooltip.push(claim_sentence(index, c));
        for ev in &claim.evidence {
            let n = index.reference_ix(&ev.reference).map(|r| citations.number(r));
            let cite = index
                .reference_ix(&ev.reference)
                .map_or(ev.reference.clone(), |r| cite::short(index.reference(r)).into());
            let study = ev.level(&index.vocab).map_or(ev.study.as_str(), |l| index.vocab.study_label(l));
            let context: Vec<&str> =
                [Some(study), ev.species.as_deref(), ev.model.as_deref(), ev.tissue.as_deref()]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .collect();
            let number = n.map(|n| format!("[{n}] ")).unwrap_or_default();
            let mut line = format!("• {number}{cite} ({})", context.join(", "));
            if !ev.summary.is_empty() {
                line.push_str(&format!(": {}", ev.summary));
            }
            tooltip.push(line);
        }
    }
    let not = if drawn.negated { "NOT " } else { "" };
    let label = by_predicate
        .iter()
        .map(|(predicate, numbers)| {
            let numbers: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
            let words = predicate.replace('_', " ");
            if numbers.is_empty() {
                format!("{not}{words}")
            } else {
                wrap(&format!("{not}{words} [{}]", numbers.join(",")), 28)
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    (label, tooltip.join("\n"))
}

fn claim_sentence(index: &Index, c: ClaimIx) -> String {
    let claim = index.claim(c);
    // Through the index: `Graph::entity` scans, and this runs per claim.
    let name = |id: &str| index.entity_ix(id).map_or(id.to_string(), |e| index.entity(e).name.to_string());
    let predicate = index.predicate(c).map_or(claim.predicate.clone(), |p| p.display().into());
    let not = if claim.negated { "does NOT hold: " } else { "" };
    let certainty = claim.certainty.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default();
    format!("{not}{} {predicate} {}{certainty}", name(&claim.subject), name(&claim.object))
}

/// Break `text` into lines of at most `width` characters at spaces; words
/// longer than a line are cut.
pub fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}

/// A legend with only what the picture shows: its kinds, its kinds of edge,
/// and the numbered references.
fn legend(index: &Index, selection: &Selection, drawn: &[DrawnEdge], citations: &Citations) -> Subgraph {
    let mut stmts = vec![
        Stmt::Attribute(attr("label", "Legend")),
        Stmt::Attribute(attr("fontsize", "13")),
        Stmt::Attribute(attr("style", "rounded")),
        Stmt::Attribute(attr("color", "#999999")),
    ];
    let kinds: BTreeSet<(u8, &str)> = selection
        .entities
        .iter()
        .map(|&e| &index.entity(e).kind)
        .map(|k| (kind_style(k).tier, k.as_str()))
        .collect();
    // Kinds in rows of two, in causal order: an invisible chain puts each
    // on the next rank, so the legend stays narrow.
    let mut previous: Option<String> = None;
    for (i, &(_, kind)) in kinds.iter().enumerate() {
        if i % 2 == 0 {
            previous = None;
        }
        let style = kind_style(kind);
        let mut attributes =
            vec![attr("label", kind), attr("shape", style.shape), attr("fillcolor", style.fill)];
        if style.shape == "box" {
            attributes.push(attr("style", "filled,rounded"));
        }
        let id = format!("legend:kind:{kind}");
        stmts.push(Stmt::Node(Node { id: node_id(&id), attributes }));
        if let Some(previous) = previous.replace(id.clone()) {
            stmts.push(Stmt::Edge(Edge {
                ty: EdgeTy::Pair(Vertex::N(node_id(&previous)), Vertex::N(node_id(&id))),
                attributes: vec![attr("style", "invis")],
            }));
        }
    }
    let effects: BTreeSet<Effect> = drawn.iter().map(|e| e.effect).collect();
    let mut samples: Vec<(String, Vec<Attribute>)> = effects
        .iter()
        .map(|effect| {
            (
                effect.describe().to_string(),
                vec![attr("arrowhead", effect.arrowhead()), attr("style", effect.line())],
            )
        })
        .collect();
    if drawn.iter().any(|e| e.weak) {
        samples.push((
            "tentative / contested".into(),
            vec![attr("style", "dotted"), attr("color", WEAK), attr("fontcolor", WEAK)],
        ));
    }
    if drawn.iter().any(|e| e.negated) {
        samples.push((
            "NOT: reported no effect".into(),
            vec![attr("color", NEGATED), attr("fontcolor", NEGATED)],
        ));
    }
    // Sample edges between points; the starts share a rank and so do the
    // ends, so the samples lie parallel, one under another.
    let point = |id: &str| {
        Stmt::Node(Node {
            id: node_id(id),
            attributes: vec![attr("shape", "point"), attr("width", "0.05"), attr("label", "")],
        })
    };
    let (mut starts, mut ends) =
        (vec![Stmt::Attribute(attr("rank", "same"))], vec![Stmt::Attribute(attr("rank", "same"))]);
    let mut sample_edges = Vec::new();
    for (i, (text, mut attributes)) in samples.into_iter().enumerate() {
        let (a, b) = (format!("legend:edge:{i}:from"), format!("legend:edge:{i}:to"));
        starts.push(point(&a));
        ends.push(point(&b));
        attributes.insert(0, attr("label", &text));
        sample_edges.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(node_id(&a)), Vertex::N(node_id(&b))),
            attributes,
        }));
    }
    if !sample_edges.is_empty() {
        stmts.push(Stmt::Subgraph(Subgraph { id: quoted("legend_starts"), stmts: starts }));
        stmts.push(Stmt::Subgraph(Subgraph { id: quoted("legend_ends"), stmts: ends }));
        stmts.extend(sample_edges);
    }
    if let Some(table) = references_table(index, citations) {
        stmts.push(Stmt::Node(Node {
            id: node_id("legend:references"),
            attributes: vec![attr("shape", "plain"), attr("style", ""), html_attr("label", table)],
        }));
    }
    Subgraph { id: quoted("cluster_legend"), stmts }
}

/// At most this many references per column of the legend's list.
const REFERENCES_PER_COLUMN: usize = 16;

/// "[n] Seo et al. 2010" cells in columns of up to [`REFERENCES_PER_COLUMN`],
/// numbered down each column, each linked to its reference where it has a
/// link and carrying the full citation as its tooltip.
fn references_table(index: &Index, citations: &Citations) -> Option<String> {
    let listed: Vec<_> = citations.list().collect();
    let refs: Vec<&Reference> = listed.iter().map(|&(_, r)| index.reference(r)).collect();
    let full = cite::list_entries(&refs, cite::Markup::Text);
    let cells: Vec<String> = listed
        .iter()
        .zip(&full)
        .map(|(&(n, r), full)| {
            let reference = index.reference(r);
            let text = escape(&format!("[{n}] {}", cite::short(reference)), Context::Html);
            let title = escape(full, Context::Html);
            let link = reference
                .link()
                .map(|l| format!(" HREF=\"{}\" TARGET=\"_blank\"", escape(&escape::url(&l), Context::Html)))
                .unwrap_or_default();
            format!("<TD ALIGN=\"LEFT\" TITLE=\"{title}\"{link}>{text}</TD>")
        })
        .collect();
    if cells.is_empty() {
        return None;
    }
    let columns = cells.len().div_ceil(REFERENCES_PER_COLUMN);
    let rows = cells.len().div_ceil(columns);
    let body: String = (0..rows)
        .map(|row| {
            let row_cells: String =
                (0..columns).filter_map(|col| cells.get(col * rows + row)).map(|s| s.as_str()).collect();
            format!("<TR>{row_cells}</TR>")
        })
        .collect();
    Some(format!(
        "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\">\
         <TR><TD ALIGN=\"LEFT\" COLSPAN=\"{columns}\"><B>References</B></TD></TR>{body}</TABLE>"
    ))
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("bone mineral density in adults", 12), "bone mineral\ndensity in\nadults");
        assert_eq!(wrap("abcdefghij", 4), "abcd\nefgh\nij");
        assert_eq!(wrap("", 4), "");
    }
}
