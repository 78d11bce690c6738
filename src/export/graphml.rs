//! A selection as GraphML, for NetworkX, igraph, Gephi, yEd and Cytoscape.
//!
//! One node per entity, one directed edge per claim (parallel edges are kept:
//! two papers' claims between the same pair stay two edges), and typed keys
//! declared up front (see [`records`]): booleans are GraphML `boolean`, text
//! is `string`, lists and the evidence are JSON text. Every string passes
//! through [`escape::xml`], so quotes, `<`, `&`, newlines and tabs come back
//! from any XML parser as they went in.

use super::escape;
use super::records::{self, Record, References, Type, EDGE_FIELDS, NODE_FIELDS};
use super::Selection;
use crate::index::Index;
use std::io::{self, Write};

/// Write the GraphML document of `selection` to `out`.
pub fn write(index: &Index, selection: &Selection, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for name in ["title", "selection"] {
        writeln!(out, r#"  <key id="graph.{name}" for="graph" attr.name="{name}" attr.type="string"/>"#)?;
    }
    keys(out, "node", NODE_FIELDS)?;
    keys(out, "edge", EDGE_FIELDS)?;
    writeln!(out, r#"  <graph id="claimgraph" edgedefault="directed">"#)?;
    writeln!(out, r#"    <data key="graph.title">{}</data>"#, escape::xml(index.title()))?;
    writeln!(out, r#"    <data key="graph.selection">{}</data>"#, escape::xml(&selection.caption))?;
    for (_, node) in records::nodes(index, selection) {
        writeln!(out, r#"    <node id="{}">"#, escape::xml(node.id))?;
        data(out, "node", &node)?;
        writeln!(out, "    </node>")?;
    }
    let refs = References::new(index);
    for &c in &selection.claims {
        // One claim at a time, so a million of them are never all in memory.
        let Some(edge) = records::edge(index, c, &refs) else { continue };
        let (source, target) = edge.ends.expect("edges have ends");
        writeln!(
            out,
            r#"    <edge id="{}" source="{}" target="{}">"#,
            escape::xml(edge.id),
            escape::xml(source),
            escape::xml(target)
        )?;
        data(out, "edge", &edge)?;
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}

fn keys(out: &mut dyn Write, domain: &str, fields: &[(&str, Type)]) -> io::Result<()> {
    for (name, ty) in fields {
        let ty = match ty {
            Type::Bool => "boolean",
            Type::Text | Type::List | Type::Json => "string",
        };
        writeln!(out, r#"  <key id="{domain}.{name}" for="{domain}" attr.name="{name}" attr.type="{ty}"/>"#)?;
    }
    Ok(())
}

fn data(out: &mut dyn Write, domain: &str, record: &Record) -> io::Result<()> {
    for (name, value) in &record.fields {
        writeln!(out, r#"      <data key="{domain}.{name}">{}</data>"#, escape::xml(&value.to_text()))?;
    }
    Ok(())
}
