//! The `claimgraph` command line: everything lives in the library's `cli`.

/// Loading a large graph makes millions of small allocations (ids, names,
/// summaries); mimalloc serves them markedly faster than the system allocator
/// and returns a freed model to the OS sooner.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    claimgraph::cli::main()
}
