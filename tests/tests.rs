//! The one integration-test binary: one module per feature, each running the
//! real `claimgraph` binary or the library on fixtures.

mod common;

mod assess;
mod check;
mod cite;
mod context;
mod curation;
mod errors;
mod exchange;
mod explorer;
mod export;
mod export_tabular;
mod fanout;
mod fields;
mod hardening;
mod help;
mod import;
mod progress;
mod readme;
mod set;
mod snapshot;
mod trace;
mod wording;
