//! `claimgraph add entity|reference|claim|evidence|kind|predicate|study`: add
//! to the graph file or to its vocabulary.

use super::fields::{EvidenceFields, ReferenceFields};
use super::transact::{apply, report, WriteArgs};
use super::Session;
use crate::edit::{self, NewClaim};
use crate::model::{Entity, Evidence, KindDef, PredicateClass, PredicateDef, Sign, StudyDef};
use clap::{Args, Subcommand};
use miette::Result;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(subcommand)]
    pub what: AddWhat,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Subcommand)]
pub enum AddWhat {
    /// An entity: `add entity zinc --name Zinc --kind nutrient --alias Zn`
    #[command(
        after_help = "Examples:\n  claimgraph add entity zinc-acetate --name \"Zinc acetate\" --kind compound --alias \"Zn acetate\" --group Diet"
    )]
    Entity(EntityArgs),
    /// A reference: at least one of --doi, --pmid, --title
    #[command(
        after_help = "Examples:\n  claimgraph add reference --id lee2020 --title \"A study of zinc\" --year 2020 --author \"Lee, J\"\n  claimgraph add reference --title \"Field notes on moving rocks\" --year 2014 --type report --dry-run"
    )]
    Reference(Box<ReferenceArgs>),
    /// A claim with its first evidence (or more evidence for an identical claim)
    #[command(
        after_help = "Examples:\n  claimgraph add claim Zn increases ALP --ref seo2010 --study in_vitro --species mouse --model MC3T3-E1\n  claimgraph add claim zinc increases osteoclast --ref seo2010 --negated --certainty tentative --dry-run"
    )]
    Claim(Box<ClaimArgs>),
    /// More evidence for an existing claim
    #[command(
        after_help = "Examples:\n  claimgraph add evidence zinc--cofactor_of--alp --ref seo2010 --study review --summary \"Reviewed again.\""
    )]
    Evidence(Box<EvidenceArgs>),
    /// An entity kind for this graph's vocabulary (a field's own: rock, landform, …)
    #[command(
        after_help = "Examples:\n  claimgraph add kind landform --label Landform\n  claimgraph add kind survey-site --description \"A place sampled in a survey\""
    )]
    Kind(KindArgs),
    /// A predicate for this graph's vocabulary, with its sign and class
    #[command(
        after_help = "Examples:\n  claimgraph add predicate pushes --sign + --class causal --inverse \"is pushed by\"\n  claimgraph add predicate co_occurs_with --sign none --class correlative"
    )]
    Predicate(PredicateArgs),
    /// A study type for this graph's vocabulary, with its rank (higher is stronger)
    #[command(
        after_help = "Examples:\n  claimgraph add study field_observation --rank 45 --label \"field observation\"\n  claimgraph add study case_report --rank 35"
    )]
    Study(StudyArgs),
}

#[derive(Debug, Args)]
pub struct KindArgs {
    /// A lower-case slug, e.g. `landform`
    pub id: String,
    /// How to show it ("Landform") [default: the id]
    #[arg(long)]
    pub label: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, Args)]
pub struct PredicateArgs {
    /// A lower-case slug, e.g. `pushes`
    pub id: String,
    /// The direction of the effect: + (more subject, more object), - (less), none
    #[arg(long, value_parser = parse_sign, allow_hyphen_values = true)]
    pub sign: Sign,
    /// causal (a mechanism), correlative (observed together) or structural (composition, binding)
    #[arg(long, value_enum)]
    pub class: ClassArg,
    /// How to read it in a sentence ("pushes") [default: the id]
    #[arg(long)]
    pub label: Option<String>,
    /// How to read it backwards ("is pushed by")
    #[arg(long)]
    pub inverse: Option<String>,
    /// Kinds that usually stand as subject (repeat); none means any
    #[arg(long = "subject-kind", value_name = "KIND")]
    pub subject_kinds: Vec<String>,
    /// Kinds that usually stand as object (repeat); none means any
    #[arg(long = "object-kind", value_name = "KIND")]
    pub object_kinds: Vec<String>,
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ClassArg {
    Causal,
    Correlative,
    Structural,
}

#[derive(Debug, Args)]
pub struct StudyArgs {
    /// A lower-case slug, e.g. `field_observation`
    pub id: String,
    /// How strong its evidence is; built-in types are ranked review 10, reference_value 20,
    /// structural 30, in_vitro 40, animal 50, human_observational 60, rct 70, meta_analysis 80
    #[arg(long, value_name = "N")]
    pub rank: u16,
    /// Words for a reader ("field observation") [default: the id]
    #[arg(long)]
    pub label: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
}

fn parse_sign(s: &str) -> Result<Sign, String> {
    Sign::parse(s).ok_or_else(|| "expected +, - or none".to_string())
}

#[derive(Debug, Args)]
pub struct EntityArgs {
    /// A lower-case slug: a-z, 0-9, `-`, `_`, `.`
    pub id: String,
    #[arg(long)]
    pub name: String,
    /// One of the vocabulary's kinds (`claimgraph schema` lists them)
    #[arg(long)]
    pub kind: String,
    /// The subsystem a whole-graph diagram clusters it in, e.g. "Bone resorption"
    #[arg(long)]
    pub group: Option<String>,
    #[arg(long = "alias", value_name = "ALIAS")]
    pub aliases: Vec<String>,
    /// PREFIX:ID in an outside database, e.g. CHEBI:29105
    #[arg(long = "xref", value_name = "PREFIX:ID")]
    pub xrefs: Vec<String>,
    #[arg(long)]
    pub description: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReferenceArgs {
    /// The citation key [default: firstauthorYEAR]
    #[arg(long)]
    pub id: Option<String>,
    #[command(flatten)]
    pub fields: ReferenceFields,
}

#[derive(Debug, Args)]
pub struct ClaimArgs {
    /// Entity id, name or alias
    pub subject: String,
    /// A predicate id (`claimgraph schema` lists them)
    pub predicate: String,
    /// Entity id, name or alias
    pub object: String,
    /// The claim says the effect was NOT found
    #[arg(long)]
    pub negated: bool,
    /// established, supported, tentative or contested
    #[arg(long)]
    pub certainty: Option<String>,
    #[arg(long)]
    pub note: Option<String>,
    #[command(flatten)]
    pub evidence: EvidenceFlags,
}

#[derive(Debug, Args)]
pub struct EvidenceArgs {
    /// The claim id
    pub claim: String,
    #[command(flatten)]
    pub evidence: EvidenceFlags,
}

#[derive(Debug, Args)]
pub struct EvidenceFlags {
    /// The reference key this evidence cites
    #[arg(long = "ref", value_name = "KEY")]
    pub reference: String,
    #[command(flatten)]
    pub fields: EvidenceFields,
}

impl EvidenceFlags {
    fn to_evidence(&self) -> Evidence {
        self.fields.patch().new_evidence(&self.reference)
    }
}

pub fn run(args: &AddArgs, session: &Session, out: &mut dyn Write) -> Result<ExitCode> {
    let dry_run = args.write.dry_run;
    let (edited, name) = match &args.what {
        AddWhat::Entity(a) => apply(session, "add entity", dry_run, |g| edit::add_entity(g, entity(a)))?,
        AddWhat::Reference(a) => apply(session, "add reference", dry_run, |g| {
            let mut r = a.fields.patch().new_reference(a.id.as_deref().unwrap_or_default())?;
            if r.id.is_empty() {
                r.id = crate::import::free_key(g, None, &r);
            }
            edit::add_reference(g, r)
        })?,
        AddWhat::Claim(a) => apply(session, "add claim", dry_run, |g| edit::add_claim(g, new_claim(a)))?,
        AddWhat::Evidence(a) => apply(session, "add evidence", dry_run, |g| {
            edit::add_evidence(g, &a.claim, a.evidence.to_evidence())
        })?,
        AddWhat::Kind(a) => apply(session, "add kind", dry_run, |g| {
            let label = a.label.clone().unwrap_or_default();
            edit::add_kind(g, KindDef { id: a.id.clone(), label, description: a.description.clone() })
        })?,
        AddWhat::Predicate(a) => {
            apply(session, "add predicate", dry_run, |g| edit::add_predicate(g, predicate(a)))?
        }
        AddWhat::Study(a) => apply(session, "add study", dry_run, |g| {
            let label = a.label.clone().unwrap_or_default();
            edit::add_study(
                g,
                StudyDef { id: a.id.clone(), rank: a.rank, label, description: a.description.clone() },
            )
        })?,
    };
    report(out, &name, &edited, dry_run)?;
    Ok(ExitCode::SUCCESS)
}

fn predicate(a: &PredicateArgs) -> PredicateDef {
    PredicateDef {
        id: a.id.clone(),
        sign: a.sign,
        class: match a.class {
            ClassArg::Causal => PredicateClass::Causal,
            ClassArg::Correlative => PredicateClass::Correlative,
            ClassArg::Structural => PredicateClass::Structural,
        },
        label: a.label.clone().unwrap_or_default(),
        inverse: a.inverse.clone().unwrap_or_default(),
        subject_kinds: a.subject_kinds.clone(),
        object_kinds: a.object_kinds.clone(),
        description: a.description.clone(),
    }
}

fn entity(a: &EntityArgs) -> Entity {
    Entity {
        id: a.id.as_str().into(),
        name: a.name.as_str().into(),
        kind: a.kind.as_str().into(),
        group: a.group.as_deref().map(Into::into),
        aliases: a.aliases.iter().map(|s| s.as_str().into()).collect(),
        xrefs: a.xrefs.iter().map(|s| s.as_str().into()).collect(),
        description: a.description.as_deref().map(Into::into),
    }
}

fn new_claim(a: &ClaimArgs) -> NewClaim {
    NewClaim {
        subject: a.subject.clone(),
        predicate: a.predicate.clone(),
        object: a.object.clone(),
        negated: a.negated,
        certainty: a.certainty.clone(),
        note: a.note.clone(),
        evidence: a.evidence.to_evidence(),
    }
}
