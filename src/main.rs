//! The `claimgraph` command line: everything lives in the library's `cli`.

/// Loading a large graph makes millions of small allocations (ids, names,
/// summaries); mimalloc serves them markedly faster than the system allocator
/// and returns a freed model to the OS sooner.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    no_transparent_huge_pages();
    claimgraph::cli::main()
}

/// Turn transparent huge pages off for this process.
///
/// mimalloc asks for them (`MADV_HUGEPAGE`) on its arenas. Measured on a
/// 1M-claim `check` (2-core VM), faulting in 2 MiB pages cost 2–4 s of
/// system time against about 1 s for the same memory in 4 KiB pages: every
/// huge page is zeroed whole, from memory the machine had not touched yet.
/// The process-wide switch also covers arenas mimalloc mapped before `main`,
/// which setting its `allow_thp` option here would not.
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of
    // ours; it only sets a flag on this process. A failure (old kernel) leaves
    // the default in place, which is correct, only slower.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_transparent_huge_pages() {}
