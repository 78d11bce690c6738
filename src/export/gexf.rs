//! A selection as GEXF 1.3, Gephi's own format (NetworkX reads it too).
//!
//! The same records as GraphML (see [`records`]): one node per entity,
//! labelled with its name, one directed edge per claim, labelled with its
//! predicate, and the other fields as declared static attributes. GEXF
//! keeps values in XML attributes, where a parser would turn a raw newline
//! or tab into a space, so [`escape::xml`] writes them as references.

use super::escape;
use super::records::{self, Record, References, Type, EDGE_FIELDS, NODE_FIELDS};
use super::Selection;
use crate::index::Index;
use std::io::{self, Write};

/// The field shown as the node's or edge's own `label`, not as an attribute.
const NODE_LABEL: &str = "name";
const EDGE_LABEL: &str = "label";

/// Write the GEXF document of `selection` to `out`.
pub fn write(index: &Index, selection: &Selection, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<gexf xmlns="http://gexf.net/1.3" version="1.3">"#)?;
    let title = index.title();
    let description = if title.is_empty() || title == selection.caption {
        selection.caption.clone()
    } else {
        format!("{title} — {}", selection.caption)
    };
    writeln!(out, "  <meta>")?;
    writeln!(out, "    <creator>claimgraph</creator>")?;
    writeln!(out, "    <description>{}</description>", escape::xml(&description))?;
    writeln!(out, "  </meta>")?;
    writeln!(out, r#"  <graph defaultedgetype="directed" mode="static">"#)?;
    attributes(out, "node", NODE_FIELDS, NODE_LABEL)?;
    attributes(out, "edge", EDGE_FIELDS, EDGE_LABEL)?;
    writeln!(out, "    <nodes>")?;
    for (_, node) in records::nodes(index, selection) {
        let label = node.get(NODE_LABEL).map(|v| v.to_text()).unwrap_or_default();
        writeln!(out, r#"      <node id="{}" label="{}">"#, escape::xml(node.id), escape::xml(&label))?;
        values(out, &node, NODE_LABEL)?;
        writeln!(out, "      </node>")?;
    }
    writeln!(out, "    </nodes>")?;
    writeln!(out, "    <edges>")?;
    let refs = References::new(index);
    for &c in &selection.claims {
        let Some(edge) = records::edge(index, c, &refs) else { continue };
        let (source, target) = edge.ends.expect("edges have ends");
        let label = edge.get(EDGE_LABEL).map(|v| v.to_text()).unwrap_or_default();
        writeln!(
            out,
            r#"      <edge id="{}" source="{}" target="{}" label="{}">"#,
            escape::xml(edge.id),
            escape::xml(source),
            escape::xml(target),
            escape::xml(&label)
        )?;
        values(out, &edge, EDGE_LABEL)?;
        writeln!(out, "      </edge>")?;
    }
    writeln!(out, "    </edges>")?;
    writeln!(out, "  </graph>")?;
    writeln!(out, "</gexf>")
}

fn attributes(out: &mut dyn Write, class: &str, fields: &[(&str, Type)], label: &str) -> io::Result<()> {
    writeln!(out, r#"    <attributes class="{class}" mode="static">"#)?;
    for (name, ty) in fields.iter().filter(|(n, _)| *n != label) {
        let ty = match ty {
            Type::Bool => "boolean",
            Type::Text | Type::List | Type::Json => "string",
        };
        writeln!(out, r#"      <attribute id="{name}" title="{name}" type="{ty}"/>"#)?;
    }
    writeln!(out, "    </attributes>")
}

fn values(out: &mut dyn Write, record: &Record, label: &str) -> io::Result<()> {
    let fields: Vec<_> = record.fields.iter().filter(|(n, _)| *n != label).collect();
    if fields.is_empty() {
        return Ok(());
    }
    writeln!(out, "        <attvalues>")?;
    for (name, value) in fields {
        writeln!(out, r#"          <attvalue for="{name}" value="{}"/>"#, escape::xml(&value.to_text()))?;
    }
    writeln!(out, "        </attvalues>")
}
