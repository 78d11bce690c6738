//! `claimgraph schema`: the JSON Schema of the graph file.

use miette::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn run(out: &mut dyn Write) -> Result<ExitCode> {
    super::write_json(out, &crate::schema::json_schema())?;
    Ok(ExitCode::SUCCESS)
}
