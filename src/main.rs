//! The `claimgraph` command line: everything lives in the library's `cli`.

fn main() -> std::process::ExitCode {
    claimgraph::cli::main()
}
