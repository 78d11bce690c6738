//! A selection as Graphviz DOT, built with graphviz-rust's model.
//!
//! The output is deterministic: statements are emitted in a fixed order
//! (tiers, then entity id; edges by subject id, object id, effect), so the
//! same graph and selection give byte-identical DOT, and checked-in diagrams
//! diff cleanly. Every string from the graph goes through [`escape`].
//!
//! Each entity node and each drawn edge carries a DOT `id` ([`node_element_id`],
//! [`edge_element_id`]) that Graphviz copies onto its SVG group, so the HTML
//! explorer can find the element drawn for an entity or an edge without
//! parsing titles.
//!
//! The legend is the graph's own label, an HTML-like table under the picture:
//! a label takes no part in the layout, so it can neither push the diagram
//! apart nor cross its edges, and its line samples are drawn from the same
//! [`Look`] as the real edges.

use super::escape::{self, escape, html_label, quoted, Context};
use super::{columns, edges, Citations, DrawnEdge, Effect, KindStyles, Labels, Ranking, Selection};
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
/// Paul Tol's purple: claims that contradict each other.
const CONFLICT: &str = "#AA3377";
const NORMAL: &str = "#333333";

/// What a diagram says beyond the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub labels: Labels,
    /// Tooltips and links to each edge's first reference (the SVG export).
    /// The HTML explorer turns them off: its side panel shows everything,
    /// and a click on an edge should open the panel, not leave the page.
    pub links: bool,
    /// The legend lists the references; otherwise it only counts them and
    /// points to the page's own reference list. The explorer's force-directed
    /// overview of thousands of edges cites about a thousand papers: listed,
    /// they made a legend larger than the drawing, unreadable at any zoom.
    pub reference_list: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { labels: Labels::Numbers, links: true, reference_list: true }
    }
}

/// The DOT text of a selection, ending in a newline.
pub fn to_string(index: &Index, selection: &Selection) -> String {
    to_string_with(index, selection, &Options::default())
}

/// The DOT text of a selection drawn with `options`, ending in a newline.
pub fn to_string_with(index: &Index, selection: &Selection, options: &Options) -> String {
    let mut ctx = PrinterContext::default();
    let mut text = build(index, selection, options).0.print(&mut ctx);
    text.push('\n');
    text
}

/// Write the DOT text of a selection to `out`.
pub fn write(index: &Index, selection: &Selection, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(to_string(index, selection).as_bytes())
}

/// The SVG element id of an entity's node: the entity's rank among the
/// selection's entities sorted by id (an entity id may hold characters an
/// XML id or a CSS selector would trip on).
pub fn node_element_id(rank: usize) -> String {
    format!("cgn{rank}")
}

/// The SVG element id of the `i`-th edge of [`edges`].
pub fn edge_element_id(i: usize) -> String {
    format!("cge{i}")
}

/// The selection's entities sorted by id: the order [`node_element_id`] numbers.
pub fn entity_order(index: &Index, selection: &Selection) -> Vec<EntityIx> {
    let mut order: Vec<EntityIx> = selection.entities.iter().copied().collect();
    order.sort_by_key(|&e| &index.entity(e).id);
    order
}

/// The selection as a graphviz-rust graph, with the reference numbers its
/// labels use.
pub fn build(index: &Index, selection: &Selection, options: &Options) -> (Graph, Citations) {
    let drawn = edges(index, selection);
    let columns = match selection.ranking {
        Ranking::ByKind => Some(columns(index, selection)),
        Ranking::FromTo { .. } => None,
    };
    let ids: BTreeMap<EntityIx, String> = entity_order(index, selection)
        .into_iter()
        .enumerate()
        .map(|(rank, e)| (e, node_element_id(rank)))
        .collect();
    let styles = KindStyles::new(index, selection);
    let draw = Drawing { index, selection, options, ids: &ids, styles: &styles };
    let mut citations = selection.citations.clone();
    let edge_stmts: Vec<Stmt> = drawn
        .iter()
        .enumerate()
        .map(|(i, e)| Stmt::Edge(draw.edge(columns.as_ref(), i, e, &mut citations)))
        .collect();
    let mut stmts = defaults(index, selection, &drawn, &citations, options);
    stmts.extend(draw.nodes(columns.as_ref()));
    stmts.extend(edge_stmts);
    (Graph::DiGraph { id: quoted("claimgraph"), strict: false, stmts }, citations)
}

/// What every node and edge statement needs to know.
struct Drawing<'a, 'g> {
    index: &'a Index<'g>,
    selection: &'a Selection,
    options: &'a Options,
    /// The element id of each entity's node.
    ids: &'a BTreeMap<EntityIx, String>,
    styles: &'a KindStyles,
}

fn attr(name: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(name.to_string()), quoted(value))
}

fn html_attr(name: &str, markup: String) -> Attribute {
    Attribute(Id::Plain(name.to_string()), html_label(markup))
}

/// The diagram's caption: the graph's title and what the selection shows.
pub fn caption(index: &Index, selection: &Selection) -> String {
    let title = index.title();
    if title.is_empty() || *title == selection.caption {
        selection.caption.clone()
    } else {
        format!("{title} — {}", selection.caption)
    }
}

/// Up to this many drawn edges, `dot` spends four times its default effort
/// minimizing edge crossings (`mclimit`, then `remincross`): a diagram people
/// read is worth it (the curated graph: 0.1 s more, 3,033 → 2,714 pt tall,
/// visibly fewer crossings around zinc), an overview of thousands of edges
/// is not.
const CAREFUL_EDGES: usize = 500;

fn defaults(
    index: &Index,
    selection: &Selection,
    drawn: &[DrawnEdge],
    citations: &Citations,
    options: &Options,
) -> Vec<Stmt> {
    let caption = caption(index, selection);
    let references =
        if options.reference_list { references_table(index, citations) } else { references_count(citations) };
    let mut stmts = vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", "LR"),
            // Graphviz's older ranking fails on some cluster layouts ("trouble
            // in init_rank", then a lost edge) — the curated graph v2 hit it;
            // the newer ranker handles clusters with the column constraints.
            attr("newrank", "true"),
            attr("ranksep", "0.5"),
            attr("nodesep", "0.2"),
            attr("fontname", FONT),
            attr("fontsize", "12"),
            attr("labelloc", "b"),
            attr("labeljust", "l"),
            html_attr("label", legend(index, selection, &caption, drawn, references)),
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
    ];
    if drawn.len() <= CAREFUL_EDGES {
        stmts.push(Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("mclimit", "4"),
            attr("remincross", "true"),
        ])));
    }
    stmts
}

impl Drawing<'_, '_> {
    /// Entity nodes: in columns along the causal flow, each tier of kinds a
    /// cluster, or for a trace with the source first and the target last.
    fn nodes(&self, columns: Option<&BTreeMap<EntityIx, u32>>) -> Vec<Stmt> {
        match (self.selection.ranking, columns) {
            (Ranking::FromTo { source, target }, _) => self.trace_nodes(source, target),
            (Ranking::ByKind, Some(columns)) => self.column_nodes(columns),
            (Ranking::ByKind, None) => {
                self.selection.entities.iter().map(|&e| Stmt::Node(self.node(e))).collect()
            }
        }
    }

    /// One same-rank group per column (see [`columns`]), each sorted by id,
    /// with an invisible anchor per column chained left to right so the
    /// columns keep their order whatever the claims say. The columns of one
    /// tier (diet, nutrients, enzymes, cells, processes, tissues) sit in one
    /// labelled cluster, so a large graph reads as a few subsystems — or,
    /// when the graph gives its entities a `group`, each group is a cluster
    /// (see [`Drawing::group_nodes`]).
    fn column_nodes(&self, columns: &BTreeMap<EntityIx, u32>) -> Vec<Stmt> {
        if columns.keys().any(|&e| group_of(self.index, e).is_some()) {
            return self.group_nodes(columns);
        }
        let index = self.index;
        let mut groups: BTreeMap<u32, Vec<(&str, EntityIx)>> = BTreeMap::new();
        for (&e, &column) in columns {
            groups.entry(column).or_default().push((index.entity(e).id.as_str(), e));
        }
        let mut tiers: BTreeMap<u8, Vec<Stmt>> = BTreeMap::new();
        let mut chain = Vec::new();
        let mut previous: Option<NodeId> = None;
        for (column, mut members) in groups {
            members.sort();
            let tier = members.iter().map(|&(_, e)| self.styles.of(&index.entity(e).kind).tier).min();
            let anchor = node_id(&format!("column:{column}"));
            let mut inner = vec![
                Stmt::Attribute(attr("rank", "same")),
                Stmt::Node(Node {
                    id: anchor.clone(),
                    attributes: vec![attr("style", "invis"), attr("shape", "point"), attr("width", "0")],
                }),
            ];
            inner.extend(members.iter().map(|&(_, e)| Stmt::Node(self.node(e))));
            let group = Stmt::Subgraph(Subgraph { id: quoted(&format!("column_{column}")), stmts: inner });
            tiers.entry(tier.unwrap_or(0)).or_default().push(group);
            if let Some(previous) = previous.replace(anchor.clone()) {
                chain.push(Stmt::Edge(Edge {
                    ty: EdgeTy::Pair(Vertex::N(previous), Vertex::N(anchor)),
                    attributes: vec![attr("style", "invis")],
                }));
            }
        }
        let mut stmts: Vec<Stmt> = tiers
            .into_iter()
            .map(|(tier, columns)| {
                let mut inner = cluster_style(&self.styles.tier_label(index, self.selection, tier));
                inner.extend(columns);
                Stmt::Subgraph(Subgraph { id: quoted(&format!("cluster_tier_{tier}")), stmts: inner })
            })
            .collect();
        stmts.extend(chain);
        stmts
    }

    /// Clusters by the subsystems the graph declares: each group's entities
    /// in one labelled cluster, entities without a group outside them, and
    /// each cluster a band read left to right along its claims. Clusters come
    /// in order of their leftmost column ([`columns`]), then name.
    ///
    /// Unlike the tiers, the groups do not share columns: one same-rank row
    /// per column across every cluster made each band as wide as the whole
    /// picture, with most of it empty (the curated graph was 5269×5102 pt;
    /// ranked by its claims alone, 4697×2714 pt).
    fn group_nodes(&self, columns: &BTreeMap<EntityIx, u32>) -> Vec<Stmt> {
        let index = self.index;
        let mut groups: BTreeMap<&str, Vec<Member>> = BTreeMap::new();
        let mut loose: Vec<Member> = Vec::new();
        for &e in columns.keys() {
            let id = index.entity(e).id.as_str();
            match group_of(index, e) {
                Some(g) => groups.entry(g).or_default().push((id, e)),
                None => loose.push((id, e)),
            }
        }
        let mut order: Vec<(u32, &str, Vec<Member>)> = groups
            .into_iter()
            .map(|(g, members)| (members.iter().map(|&(_, e)| columns[&e]).min().unwrap_or(0), g, members))
            .collect();
        order.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        let mut stmts: Vec<Stmt> = order
            .into_iter()
            .enumerate()
            .map(|(i, (_, group, mut members))| {
                members.sort();
                let mut inner = cluster_style(group);
                inner.extend(members.iter().map(|&(_, e)| Stmt::Node(self.node(e))));
                Stmt::Subgraph(Subgraph { id: quoted(&format!("cluster_group_{i}")), stmts: inner })
            })
            .collect();
        loose.sort();
        stmts.extend(loose.iter().map(|&(_, e)| Stmt::Node(self.node(e))));
        stmts
    }

    /// The source alone on the first rank, the target alone on the last, the
    /// rest (sorted by id) wherever their distance from the source puts them.
    fn trace_nodes(&self, source: EntityIx, target: EntityIx) -> Vec<Stmt> {
        let pinned = |name: &str, rank: &str, e: EntityIx| {
            Stmt::Subgraph(Subgraph {
                id: quoted(name),
                stmts: vec![Stmt::Attribute(attr("rank", rank)), Stmt::Node(self.node(e))],
            })
        };
        let mut middle: Vec<(&str, EntityIx)> = self
            .selection
            .entities
            .iter()
            .filter(|&&e| e != source && e != target)
            .map(|&e| (self.index.entity(e).id.as_str(), e))
            .collect();
        middle.sort();
        let mut stmts = vec![pinned("source", "source", source)];
        stmts.extend(middle.iter().map(|&(_, e)| Stmt::Node(self.node(e))));
        if target != source {
            stmts.push(pinned("target", "sink", target));
        }
        stmts
    }

    fn node(&self, e: EntityIx) -> Node {
        let entity = self.index.entity(e);
        let style = self.styles.of(&entity.kind);
        let mut attributes = vec![
            attr("label", &wrap(&entity.name, WRAP)),
            attr("id", &self.ids[&e]),
            attr("shape", style.shape),
        ];
        if self.options.links {
            attributes.push(attr("tooltip", &node_tooltip(self.index, e)));
        }
        if style.shape == "box" {
            attributes.push(attr("style", "filled,rounded"));
        }
        if self.selection.is_highlighted_entity(e) {
            attributes.push(attr("fillcolor", style.fill));
            if self.selection.highlight.is_some() {
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

    fn edge(
        &self,
        columns: Option<&BTreeMap<EntityIx, u32>>,
        i: usize,
        drawn: &DrawnEdge,
        citations: &mut Citations,
    ) -> Edge {
        let index = self.index;
        let (label, tooltip) = edge_texts(index, drawn, citations, self.options.labels);
        let faded = self.selection.highlight.is_some() && !drawn.highlighted;
        let look = Look::of(drawn, faded);
        let mut attributes = vec![attr("label", &label), attr("id", &edge_element_id(i))];
        if self.options.links {
            attributes.push(attr("tooltip", &tooltip));
            attributes.push(attr("labeltooltip", &tooltip));
        }
        attributes.extend(look.attributes());
        // A label far from a long edge is hard to pin to it: underline it and
        // draw a thin line to the edge.
        attributes.push(attr("decorate", "true"));
        // A claim from a later column to an earlier one (a cell producing an
        // enzyme) is drawn but does not get to rank its nodes.
        if columns.is_some_and(|c| c[&drawn.subject] > c[&drawn.object]) {
            attributes.push(attr("constraint", "false"));
        }
        if self.selection.highlight.is_some() && drawn.highlighted {
            attributes.push(attr("penwidth", "2.5"));
            attributes.push(attr("weight", "4"));
        }
        if let Some(link) = first_link(index, &drawn.claims).filter(|_| self.options.links) {
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
}

/// How an edge is drawn: line, arrowhead and colour. Real edges and the
/// legend's samples both come from here, so the two cannot drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Look {
    line: &'static str,
    arrowhead: &'static str,
    colour: &'static str,
    /// Drawn as two parallel lines: claims here contradict another edge.
    double: bool,
}

impl Look {
    fn of(drawn: &DrawnEdge, faded: bool) -> Look {
        let line = if drawn.weak { "dotted" } else { drawn.effect.line() };
        // "A does NOT increase B": a circle, never the effect's own head.
        let arrowhead = if drawn.negated { "odot" } else { drawn.effect.arrowhead() };
        let colour = match (faded, drawn.negated, drawn.conflicting, drawn.weak) {
            (true, ..) => FADED,
            (false, true, _, _) => NEGATED,
            (false, false, true, _) => CONFLICT,
            (false, false, false, true) => WEAK,
            (false, false, false, false) => NORMAL,
        };
        Look { line, arrowhead, colour, double: drawn.conflicting && !faded }
    }

    fn attributes(self) -> Vec<Attribute> {
        // Graphviz draws "c:invis:c" as two parallel strokes of colour c.
        let colour =
            if self.double { format!("{0}:invis:{0}", self.colour) } else { self.colour.to_string() };
        let mut out =
            vec![attr("arrowhead", self.arrowhead), attr("style", self.line), attr("color", &colour)];
        if self.colour != NORMAL {
            out.push(attr("fontcolor", if self.colour == FADED { WEAK } else { self.colour }));
        }
        out
    }

    /// The look as text for the legend: a line of box-drawing characters in
    /// the edge's colour, ending in its arrowhead.
    fn sample(self) -> String {
        let line = match (self.double, self.line) {
            (true, "dashed") => "═ ═ ═",
            (true, "dotted") => "═ ═ ═",
            (true, _) => "═════",
            (false, "dashed") => "╌╌╌╌",
            (false, "dotted") => "┈┈┈┈┈",
            (false, _) => "─────",
        };
        let head = match self.arrowhead {
            "tee" => "┤",
            "empty" => "▷",
            "odot" => "○",
            _ => "▶",
        };
        format!("<FONT COLOR=\"{}\">{line}{head}</FONT>", self.colour)
    }
}

/// An entity in a layout list: its id (the sort key) and its index.
type Member<'g> = (&'g str, EntityIx);

/// The look of a labelled cluster (a tier or a group).
fn cluster_style(label: &str) -> Vec<Stmt> {
    vec![
        Stmt::Attribute(attr("label", label)),
        Stmt::Attribute(attr("style", "rounded,filled")),
        Stmt::Attribute(attr("fillcolor", "#F7F7F7")),
        Stmt::Attribute(attr("color", "#DDDDDD")),
        Stmt::Attribute(attr("fontcolor", "#555555")),
        Stmt::Attribute(attr("labelloc", "t")),
    ]
}

/// An entity's group, if it names one.
fn group_of<'g>(index: &Index<'g>, e: EntityIx) -> Option<&'g str> {
    index.entity(e).group.as_deref().map(str::trim).filter(|g| !g.is_empty())
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

/// The first reference (in claim and evidence order) that has a link. Only
/// http(s) links come back from `Reference::link`.
fn first_link(index: &Index, claims: &[ClaimIx]) -> Option<String> {
    claims.iter().flat_map(|&c| index.claim_refs(c)).find_map(|&r| index.reference(r).link())
}

/// The label ("activates [1,2]", one line per predicate) and the tooltip
/// (each claim with its evidence and citations).
fn edge_texts(
    index: &Index,
    drawn: &DrawnEdge,
    citations: &mut Citations,
    labels: Labels,
) -> (String, String) {
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
            let cited: Vec<String> = match labels {
                Labels::Numbers => numbers.iter().map(|n| n.to_string()).collect(),
                Labels::AuthorYear => numbers
                    .iter()
                    .filter_map(|&n| citations.list().nth(n - 1))
                    .map(|(_, r)| cite::short(index.reference(r)))
                    .collect(),
            };
            let separator = if labels == Labels::Numbers { "," } else { "; " };
            let words = predicate.replace('_', " ");
            if cited.is_empty() {
                format!("{not}{words}")
            } else {
                wrap(&format!("{not}{words} [{}]", cited.join(separator)), 28)
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
    // "Zinc does not increase …", "Oysters are a source of …": as `show` words it.
    let predicate = crate::query::report::predicate_words(index, c);
    let certainty = claim.certainty.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default();
    format!("{} {predicate} {}{certainty}", name(&claim.subject), name(&claim.object))
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

/// The legend under the picture: the caption, then only what the picture
/// shows — its kinds, its kinds of line, and the numbered references — side
/// by side in one compact table.
fn legend(
    index: &Index,
    selection: &Selection,
    caption: &str,
    drawn: &[DrawnEdge],
    references: Option<String>,
) -> String {
    let styles = KindStyles::new(index, selection);
    let kinds: BTreeSet<(u8, &str)> = selection
        .entities
        .iter()
        .map(|&e| &index.entity(e).kind)
        .map(|k| (styles.of(k).tier, k.as_str()))
        .collect();
    let kind_rows: String = kinds
        .iter()
        .map(|&(_, kind)| {
            let style = styles.of(kind);
            format!(
                "<TR><TD BGCOLOR=\"{}\" BORDER=\"1\" COLOR=\"#444444\"> {} </TD><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\">{}</FONT></TD></TR>",
                style.fill,
                escape(kind, Context::Html),
                escape(style.shape, Context::Html)
            )
        })
        .collect();
    let line_rows: String = line_samples(drawn)
        .into_iter()
        .map(|(look, words)| {
            format!(
                "<TR><TD ALIGN=\"LEFT\">{}</TD><TD ALIGN=\"LEFT\">{}</TD></TR>",
                look.sample(),
                escape(&words, Context::Html)
            )
        })
        .collect();
    let section = |title: &str, rows: &str| {
        format!(
            "<TD VALIGN=\"TOP\"><TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\">\
             <TR><TD ALIGN=\"LEFT\" COLSPAN=\"2\"><B>{title}</B></TD></TR>{rows}</TABLE></TD>"
        )
    };
    let mut cells = section("Kinds", &kind_rows);
    if !line_rows.is_empty() {
        cells.push_str(&section("Lines", &line_rows));
    }
    if let Some(table) = references {
        cells.push_str(&format!("<TD VALIGN=\"TOP\">{table}</TD>"));
    }
    format!(
        "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"6\" CELLPADDING=\"0\">\
         <TR><TD ALIGN=\"LEFT\" COLSPAN=\"3\"><FONT POINT-SIZE=\"16\"><B>{}</B></FONT></TD></TR>\
         <TR>{cells}</TR></TABLE>",
        escape(caption, Context::Html)
    )
}

/// One sample per kind of line the picture uses, built with the same
/// [`Look`] as the real edges, with words saying what it means.
fn line_samples(drawn: &[DrawnEdge]) -> Vec<(Look, String)> {
    let plain = |effect: Effect| DrawnEdge {
        subject: 0,
        object: 0,
        effect,
        negated: false,
        weak: false,
        conflicting: false,
        highlighted: true,
        claims: Vec::new(),
    };
    let effects: BTreeSet<Effect> = drawn.iter().map(|e| e.effect).collect();
    let mut samples: Vec<(Look, String)> =
        effects.iter().map(|&e| (Look::of(&plain(e), false), e.describe().to_string())).collect();
    if drawn.iter().any(|e| e.weak && !e.negated && !e.conflicting) {
        let sample = DrawnEdge { weak: true, ..plain(Effect::Increases) };
        samples.push((Look::of(&sample, false), "dotted: only tentative / contested claims".into()));
    }
    if drawn.iter().any(|e| e.conflicting && !e.negated) {
        let sample = DrawnEdge { conflicting: true, ..plain(Effect::Increases) };
        samples.push((Look::of(&sample, false), "conflicting claims (opposite signs, or denied)".into()));
    }
    if drawn.iter().any(|e| e.negated) {
        let sample = DrawnEdge { negated: true, ..plain(Effect::Increases) };
        samples.push((Look::of(&sample, false), "NOT: reported no effect".into()));
    }
    if drawn.iter().any(|e| e.negated && e.conflicting) {
        let sample = DrawnEdge { negated: true, conflicting: true, ..plain(Effect::Increases) };
        samples.push((Look::of(&sample, false), "NOT, against a claim of an effect".into()));
    }
    samples
}

/// "1012 references: see the list below the diagram", for a legend that does not
/// list them ([`Options::reference_list`]).
fn references_count(citations: &Citations) -> Option<String> {
    let n = citations.list().count();
    let words = match n {
        0 => return None,
        1 => "1 reference".to_string(),
        n => format!("{n} references"),
    };
    Some(format!(
        "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\">\
         <TR><TD ALIGN=\"LEFT\"><B>References</B></TD></TR>\
         <TR><TD ALIGN=\"LEFT\">{words}: see the list below the diagram</TD></TR></TABLE>"
    ))
}

/// At most this many references per column of the legend's list.
const REFERENCES_PER_COLUMN: usize = 12;

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
            let title = escape(full, Context::HtmlAttribute);
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
