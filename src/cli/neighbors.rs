//! `claimgraph neighbors X`, `downstream X`, `upstream X`: what is around an
//! entity, what it reaches and what reaches it.

use super::{Format, Session};
use crate::index::{EntityIx, Index};
use crate::query::report::{predicate_words, sign_text, Citations};
use crate::query::{self, Direction, Neighbor, Reached};
use clap::{Args, ValueEnum};
use miette::{IntoDiagnostic, Result};
use serde_json::json;
use std::io::{self, Write};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DirectionArg {
    /// What the entity acts on (claims where it is the subject)
    Out,
    /// What acts on the entity (claims where it is the object)
    In,
    Both,
}

#[derive(Debug, Args)]
pub struct NeighborsArgs {
    /// An entity id, name or alias
    pub entity: String,
    /// How many hops out to go
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub depth: usize,
    /// Which claims to follow
    #[arg(long, value_enum, default_value_t = DirectionArg::Both)]
    pub direction: DirectionArg,
    /// Most neighbours to list in text (a hub has thousands); 0 lists all
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub struct ReachArgs {
    /// An entity id, name or alias
    pub entity: String,
    /// Longest path, in hops
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub max_hops: usize,
    /// Most entities to list in text; 0 lists all
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: usize,
}

/// The first `limit` items (all when `limit` is 0).
fn shown<T>(items: &[T], limit: usize) -> &[T] {
    &items[..if limit == 0 { items.len() } else { limit.min(items.len()) }]
}

/// "showing 50 of 100,000 …" when the list was cut.
fn write_cut(out: &mut dyn Write, shown: usize, total: usize, what: &str) -> io::Result<()> {
    if shown < total {
        writeln!(
            out,
            "
… showing {shown} of {} {what}; --limit N shows more, --limit 0 all",
            thousands(total)
        )?;
    }
    Ok(())
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn label(index: &Index, e: EntityIx) -> String {
    let entity = index.entity(e);
    format!("{} ({})", entity.name, entity.id)
}

pub fn run_neighbors(args: &NeighborsArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let format = session.format("neighbors", Format::Text, &[Format::Text, Format::Json])?;
    let direction = match args.direction {
        DirectionArg::Out => Direction::Out,
        DirectionArg::In => Direction::In,
        DirectionArg::Both => Direction::Both,
    };
    session.query(out, |index, out| {
        let center = query::resolve_entity(index, "ENTITY", &args.entity).map_err(super::trace::diagnose)?;
        let found = query::neighbors(index, center, args.depth, direction);
        if format == Format::Json {
            super::write_json(out, &neighbors_json(index, center, args, &found))?;
        } else {
            neighbors_text(out, index, center, args.depth, &found, args.limit).into_diagnostic()?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn neighbors_text(
    out: &mut dyn Write,
    index: &Index,
    center: EntityIx,
    depth: usize,
    found: &[Neighbor],
    limit: usize,
) -> io::Result<()> {
    let plural = if depth == 1 { "hop" } else { "hops" };
    writeln!(
        out,
        "{} — {}: {} within {depth} {plural}",
        label(index, center),
        index.entity(center).kind,
        found.len()
    )?;
    let mut citations = Citations::default();
    let mut current = 0;
    for n in shown(found, limit) {
        if n.depth != current {
            current = n.depth;
            writeln!(out, "\ndepth {current}")?;
        }
        writeln!(out, "  {} — {}", label(index, n.entity), index.entity(n.entity).kind)?;
        for (other, _, claims) in &n.links {
            for &c in claims {
                for &r in index.claim_refs(c) {
                    citations.number(r);
                }
                let claim = index.claim(c);
                let sign = index
                    .predicate(c)
                    .map_or("(?)", |p| crate::query::words::sign_note(p.causal_sign(), claim.negated));
                // Through the id table: `Graph::entity` scans every entity,
                // which around a hub meant 100,000 claims × 200,000 entities.
                let by_id = |id: &str| index.entity_ix(id).map(|e| index.entity(e));
                let (s, o) = (by_id(&claim.subject), by_id(&claim.object));
                let via = if *other == center {
                    String::new()
                } else {
                    format!(" (via {})", index.entity(*other).name)
                };
                writeln!(
                    out,
                    "      {} {} {} {sign} {}{via}",
                    s.map_or(claim.subject.as_str(), |e| e.name.as_str()),
                    predicate_words(index, c),
                    o.map_or(claim.object.as_str(), |e| e.name.as_str()),
                    citations.brackets(index, c),
                )?;
            }
        }
    }
    write_cut(out, shown(found, limit).len(), found.len(), "neighbours")?;
    crate::query::report::write_bibliography(out, index, &citations, crate::cite::list_style())
}

fn neighbors_json(
    index: &Index,
    center: EntityIx,
    args: &NeighborsArgs,
    found: &[Neighbor],
) -> serde_json::Value {
    json!({
        "entity": index.entity(center).id,
        "depth": args.depth,
        "direction": format!("{:?}", args.direction).to_lowercase(),
        "neighbors": found.iter().map(|n| json!({
            "id": index.entity(n.entity).id,
            "name": index.entity(n.entity).name,
            "kind": index.entity(n.entity).kind,
            "depth": n.depth,
            "links": n.links.iter().map(|(other, dir, claims)| json!({
                "from": index.entity(*other).id,
                "direction": if *dir == Direction::In { "in" } else { "out" },
                "claims": claims.iter().map(|&c| &index.claim(c).id).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// `downstream` (`upstream = false`) or `upstream`.
pub fn run_reach(
    args: &ReachArgs,
    upstream: bool,
    session: &Session,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let command = if upstream { "upstream" } else { "downstream" };
    let format = session.format(command, Format::Text, &[Format::Text, Format::Json])?;
    session.query(out, |index, out| {
        let x = query::resolve_entity(index, "ENTITY", &args.entity).map_err(super::trace::diagnose)?;
        let reached = if upstream {
            query::upstream(index, x, args.max_hops)
        } else {
            query::downstream(index, x, args.max_hops)
        };
        if format == Format::Json {
            super::write_json(out, &reach_json(index, x, command, args.max_hops, &reached))?;
        } else {
            reach_text(out, index, x, command, args.max_hops, &reached, args.limit).into_diagnostic()?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn reach_text(
    out: &mut dyn Write,
    index: &Index,
    x: EntityIx,
    command: &str,
    max_hops: usize,
    reached: &[Reached],
    limit: usize,
) -> io::Result<()> {
    let what = if command == "upstream" { "reach it" } else { "it reaches" };
    writeln!(out, "{} {command}: {} entities {what} within {max_hops} hops", label(index, x), reached.len())?;
    if reached.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n  hops  sign  weakest evidence     entity — best path")?;
    for r in shown(reached, limit) {
        let path: Vec<&str> = r.path.iter().map(|&e| index.entity(e).name.as_str()).collect();
        let mixed = if r.mixed { "  (other shortest paths differ in sign)" } else { "" };
        writeln!(
            out,
            "  {:<4}  {:<4}  {:<19}  {} — {}{mixed}",
            r.hops,
            sign_text(r.sign),
            r.weakest.map_or("unknown", |l| index.vocab.study_label(l)),
            label(index, r.entity),
            path.join(" → ")
        )?;
    }
    write_cut(out, shown(reached, limit).len(), reached.len(), "entities")
}

fn reach_json(
    index: &Index,
    x: EntityIx,
    command: &str,
    max_hops: usize,
    reached: &[Reached],
) -> serde_json::Value {
    json!({
        "entity": index.entity(x).id,
        "direction": command,
        "max_hops": max_hops,
        "reached": reached.iter().map(|r| json!({
            "id": index.entity(r.entity).id,
            "name": index.entity(r.entity).name,
            "hops": r.hops,
            "sign": match r.sign { crate::model::Sign::None => serde_json::Value::Null, s => json!(sign_text(s)) },
            "weakest_evidence": r.weakest.map(|l| index.vocab.study_id(l)),
            "mixed": r.mixed,
            "path": r.path.iter().map(|&e| &index.entity(e).id).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
