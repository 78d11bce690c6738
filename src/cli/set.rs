//! `claimgraph set claim|evidence|entity|reference`: change what is already
//! in the graph file, field by field, through the same locked, checked,
//! atomic transaction as `add`.

use super::fields::{EvidenceFields, ReferenceFields};
use super::transact::{apply, report, WriteArgs};
use super::Session;
use crate::edit::{self, ClaimPatch, EntityPatch, EvidenceSelector};
use clap::{Args, Subcommand};
use miette::{miette, Result};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
#[command(after_help = "An empty value removes an optional field: `--note \"\"`.")]
pub struct SetArgs {
    #[command(subcommand)]
    pub what: SetWhat,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Subcommand)]
pub enum SetWhat {
    /// A claim's certainty, note or negation
    #[command(after_help = "Examples:
  claimgraph set claim zinc--cofactor_of--alp --certainty contested --note \"one lab only\"
  claimgraph set claim zinc--cofactor_of--alp --negated true --dry-run")]
    Claim(ClaimSet),
    /// One evidence item of a claim: by its number (as `show CLAIM` lists them) or --ref KEY
    #[command(after_help = "Examples:
  claimgraph set evidence zinc--cofactor_of--alp 1 --locator \"Fig. 2\" --dry-run
  claimgraph set evidence zinc--cofactor_of--alp --ref millan2006 --species human --model \"\"")]
    Evidence(Box<EvidenceSet>),
    /// An entity (by id, name or alias): name, kind, group, description, aliases, xrefs
    #[command(after_help = "Examples:
  claimgraph set entity alp --name \"Alkaline phosphatase (tissue-nonspecific)\" --add-alias TNSALP
  claimgraph set entity pth --group \"Bone resorption\" --dry-run
  claimgraph set entity Zn --remove-alias Zn2+ --add-xref CHEBI:27363")]
    Entity(EntitySet),
    /// A reference's bibliographic fields (--author replaces the whole list)
    #[command(after_help = "Examples:
  claimgraph set reference seo2010 --pages 356-361 --note \"checked against the PDF\"
  claimgraph set reference seo2010 --url \"\" --dry-run")]
    Reference(Box<ReferenceSet>),
}

#[derive(Debug, Args)]
pub struct ClaimSet {
    /// The claim id
    pub id: String,
    /// established, supported, tentative or contested
    #[arg(long)]
    pub certainty: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// Whether the claim reports that the effect was NOT found
    #[arg(long, value_name = "true|false")]
    pub negated: Option<bool>,
}

#[derive(Debug, Args)]
pub struct EvidenceSet {
    /// The claim id
    pub claim: String,
    /// The evidence item's number, from 1 (as `claimgraph show CLAIM` lists them)
    #[arg(required_unless_present = "reference", conflicts_with = "reference")]
    pub index: Option<usize>,
    /// The evidence item citing this reference (instead of its number)
    #[arg(long = "ref", value_name = "KEY")]
    pub reference: Option<String>,
    #[command(flatten)]
    pub fields: EvidenceFields,
}

#[derive(Debug, Args)]
pub struct EntitySet {
    /// Entity id, name or alias
    pub entity: String,
    #[arg(long)]
    pub name: Option<String>,
    /// A kind of the graph's vocabulary
    #[arg(long)]
    pub kind: Option<String>,
    /// The subsystem a whole-graph diagram clusters it in ("" removes it)
    #[arg(long)]
    pub group: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long, value_name = "ALIAS")]
    pub add_alias: Vec<String>,
    #[arg(long, value_name = "ALIAS")]
    pub remove_alias: Vec<String>,
    #[arg(long, value_name = "PREFIX:ID")]
    pub add_xref: Vec<String>,
    #[arg(long, value_name = "PREFIX:ID")]
    pub remove_xref: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ReferenceSet {
    /// The reference key
    pub key: String,
    #[command(flatten)]
    pub fields: ReferenceFields,
}

pub fn run(args: &SetArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let dry_run = args.write.dry_run;
    let (edited, name) = match &args.what {
        SetWhat::Claim(a) => {
            let patch =
                ClaimPatch { certainty: a.certainty.clone(), note: a.note.clone(), negated: a.negated };
            apply(session, "set claim", dry_run, |g| edit::set_claim(g, &a.id, &patch))?
        }
        SetWhat::Evidence(a) => {
            let which = match (&a.reference, a.index) {
                (Some(key), _) => EvidenceSelector::Reference(key.clone()),
                (None, Some(n)) => EvidenceSelector::Position(n),
                (None, None) => return Err(miette!("say which evidence item: its number, or --ref KEY")),
            };
            let patch = a.fields.patch();
            apply(session, "set evidence", dry_run, |g| edit::set_evidence(g, &a.claim, &which, &patch))?
        }
        SetWhat::Entity(a) => {
            let patch = EntityPatch {
                name: a.name.clone(),
                kind: a.kind.clone(),
                group: a.group.clone(),
                description: a.description.clone(),
                add_aliases: a.add_alias.clone(),
                remove_aliases: a.remove_alias.clone(),
                add_xrefs: a.add_xref.clone(),
                remove_xrefs: a.remove_xref.clone(),
            };
            apply(session, "set entity", dry_run, |g| edit::set_entity(g, &a.entity, &patch))?
        }
        SetWhat::Reference(a) => {
            let patch = a.fields.patch();
            apply(session, "set reference", dry_run, |g| edit::set_reference(g, &a.key, &patch))?
        }
    };
    report(out, &name, &edited, dry_run)?;
    Ok(ExitCode::SUCCESS)
}
