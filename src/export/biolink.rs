//! Our kinds and predicates in Biolink 4 terms: one table for every export
//! that speaks Biolink (KGX TSV, the RDF nanopublications), so a claim means
//! the same Biolink statement whichever file a pipeline reads.
//!
//! The table is the one the README documents under "Graph databases and
//! Biolink pipelines"; the KGX consumer check builds every edge as the
//! Biolink model's pydantic class, which rejects a qualifier value outside
//! its enumeration. Names are Biolink local names (`affects`, `Protein`);
//! each format adds its own prefix (`biolink:` CURIEs in KGX, the
//! `https://w3id.org/biolink/vocab/` namespace in RDF).

/// The Biolink category (class local name) of one of our kinds:
/// `NamedThing` for a kind Biolink has no closer class for, or a file's own.
pub fn category(kind: &str) -> &'static str {
    match kind {
        "nutrient" | "compound" | "supplement" => "ChemicalEntity",
        "food" => "Food",
        "enzyme" | "protein" | "receptor" => "Protein",
        "gene" => "Gene",
        "cell" => "Cell",
        "process" => "BiologicalProcess",
        "tissue" => "GrossAnatomicalStructure",
        "outcome" => "PhenotypicFeature",
        "disease" => "Disease",
        _ => "NamedThing",
    }
}

/// A claim's predicate as a Biolink predicate with the qualifiers that make
/// it say what ours says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Predicate {
    /// Biolink's predicate, in Biolink's canonical direction.
    pub predicate: &'static str,
    pub qualified_predicate: Option<&'static str>,
    pub aspect: Option<&'static str>,
    pub direction: Option<&'static str>,
    /// Set when Biolink's canonical direction is the inverse of ours: the
    /// statement runs object → subject under `predicate`, or subject →
    /// object under this, Biolink's declared inverse of `predicate`.
    pub inverse: Option<&'static str>,
}

impl Predicate {
    /// Subject and object swap when written in Biolink's canonical direction.
    pub fn reversed(&self) -> bool {
        self.inverse.is_some()
    }

    /// The Biolink predicate that reads in our direction (subject → object).
    pub fn as_stated(&self) -> &'static str {
        self.inverse.unwrap_or(self.predicate)
    }
}

const fn plain(predicate: &'static str) -> Predicate {
    Predicate { predicate, qualified_predicate: None, aspect: None, direction: None, inverse: None }
}

/// `affects` qualified as `causes` with a direction (and an aspect where
/// ours says activity or degradation): how Biolink 4 models a signed effect.
const fn causes(aspect: Option<&'static str>, direction: &'static str) -> Predicate {
    Predicate { qualified_predicate: Some("causes"), aspect, direction: Some(direction), ..plain("affects") }
}

const fn regulates(direction: &'static str) -> Predicate {
    Predicate { direction: Some(direction), ..plain("regulates") }
}

/// `canonical` with subject and object swapped; `inverse` is its declared
/// inverse in the Biolink model.
const fn reversed(canonical: &'static str, inverse: &'static str) -> Predicate {
    Predicate { inverse: Some(inverse), ..plain(canonical) }
}

/// Our predicates (and a file's own, as `related_to`) in Biolink 4.
pub fn predicate(id: &str) -> Predicate {
    match id {
        "increases" => causes(None, "increased"),
        "decreases" => causes(None, "decreased"),
        "activates" | "cofactor_of" => causes(Some("activity"), "increased"),
        "inhibits" => causes(Some("activity"), "decreased"),
        "hydrolyzes" => causes(Some("degradation"), "increased"),
        "upregulates" => regulates("upregulated"),
        "downregulates" => regulates("downregulated"),
        "required_for" => plain("contributes_to"),
        "produces" => plain("produces"),
        "differentiates_into" => reversed("develops_from", "develops_into"),
        "source_of" => plain("has_part"),
        "protects_against" => plain("preventative_for_condition"),
        "part_of" => reversed("has_part", "part_of"),
        "binds" => plain("directly_physically_interacts_with"),
        "stored_in" => plain("located_in"),
        "associated_with" => plain("associated_with"),
        "positively_correlated_with" => plain("positively_correlated_with"),
        "negatively_correlated_with" => plain("negatively_correlated_with"),
        "risk_factor_for" => plain("predisposes_to_condition"),
        _ => plain("related_to"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_of_is_has_part_reversed_and_reads_as_part_of() {
        let part_of = predicate("part_of");
        assert_eq!(part_of.predicate, "has_part");
        assert!(part_of.reversed());
        assert_eq!(part_of.as_stated(), "part_of");
        assert_eq!(predicate("differentiates_into").as_stated(), "develops_into");
    }

    #[test]
    fn signed_effects_carry_a_direction_and_unknown_predicates_stay_related() {
        assert_eq!(predicate("increases").direction, Some("increased"));
        assert_eq!(predicate("inhibits").aspect, Some("activity"));
        assert_eq!(predicate("ferments"), plain("related_to"));
        assert!(!predicate("ferments").reversed());
        assert_eq!(category("guideline"), "NamedThing");
        assert_eq!(category("enzyme"), "Protein");
    }
}
