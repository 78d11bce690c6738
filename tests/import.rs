//! `claimgraph import` on real exports from reference managers
//! (tests/fixtures/import/, licences in its README).

use crate::common::*;
use claimgraph::import::{self, Source};
use claimgraph::model::{Graph, Reference};

fn parse(file: &str, source: Source) -> import::Parsed {
    let text = std::fs::read_to_string(fixture(&format!("import/{file}"))).unwrap();
    import::parse(&text, source)
}

fn only(parsed: import::Parsed) -> Reference {
    assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
    assert_eq!(parsed.entries.len(), 1);
    parsed.entries.into_iter().next().unwrap().reference
}

#[test]
fn the_elife_article_reads_the_same_from_bibtex_ris_and_crossref_json() {
    let records = [
        only(parse("commonmeta-crossref.bib", Source::Bibtex)),
        only(parse("commonmeta-crossref.ris", Source::Ris)),
        only(parse("commonmeta-crossref.json", Source::CslJson)),
    ];
    for r in &records {
        assert_eq!(r.doi.as_deref(), Some("10.7554/elife.01567"));
        assert_eq!(
            r.title,
            "Automated quantitative histology reveals vascular morphodynamics during Arabidopsis hypocotyl secondary growth"
        );
        assert_eq!(r.year, Some(2014));
        assert_eq!(
            r.authors,
            [
                "Sankar, Martial",
                "Nieminen, Kaisa",
                "Ragni, Laura",
                "Xenarios, Ioannis",
                "Hardtke, Christian S"
            ]
        );
        assert_eq!(r.journal.as_deref(), Some("eLife"));
    }
}

#[test]
fn medline_pmids_and_dois_match_the_records() {
    let got: Vec<(Option<String>, Option<String>, usize)> =
        parse("biopython-medline-pubmed_result2.txt", Source::Medline)
            .entries
            .into_iter()
            .chain(parse("biopython-medline-pubmed_result3.txt", Source::Medline).entries)
            .map(|e| (e.reference.pmid, e.reference.doi, e.line))
            .collect();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        got,
        [
            (s("16403221"), s("10.1186/1471-2105-7-10"), 2),
            (s("16377612"), s("10.1093/bioinformatics/btk021"), 67),
            (s("14871861"), s("10.1093/bioinformatics/bth078"), 127),
            (s("14630660"), None, 192),
            (s("23039619"), s("10.1118/1.4748329"), 2),
        ]
    );
}

#[test]
fn every_pybtex_xampl_entry_is_imported_or_named_with_a_reason() {
    let text = std::fs::read_to_string(fixture("import/pybtex-xampl.bib")).unwrap();
    let keys: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix('@'))
        .filter(|l| !l.to_lowercase().starts_with("string") && !l.to_lowercase().starts_with("preamble"))
        .map(|l| l.split_once('{').unwrap().1.trim_end_matches(',').trim().to_string())
        .collect();
    assert_eq!(keys.len(), 36, "the file's README says 36 entries");
    let mut graph = Graph::default();
    let report = import::merge(&mut graph, import::parse(&text, Source::Bibtex));
    let mut accounted: Vec<String> = report.added.iter().map(|a| a.key.clone()).collect();
    accounted.extend(report.duplicates.iter().map(|d| d.label.trim_matches('`').to_string()));
    accounted.extend(report.skipped.iter().filter_map(|s| s.key.clone()));
    for key in &keys {
        assert!(accounted.contains(key), "`{key}` neither imported nor named");
    }
    assert_eq!(accounted.len(), 36);
    assert!(report.duplicates.iter().all(|d| d.by == "title and year"), "{report}");
    assert_eq!((report.added.len(), report.duplicates.len(), report.skipped.len()), (24, 12, 0), "{report}");
    // @string macros expand and crossref fills in the parent's fields.
    let crossref = graph.reference("inbook-minimal").unwrap();
    assert!(!crossref.title.is_empty());
}

#[test]
fn latex_escapes_macros_and_a_broken_entry() {
    let parsed = parse("latex-and-broken.bib", Source::Bibtex);
    let r = &parsed.entries[0].reference;
    assert_eq!(r.authors, ["Müller, Jörg", "Café, René", "Ødegaard, Lars"]);
    assert_eq!(r.title, "Zinc and ALP – a review");
    assert_eq!(r.journal.as_deref(), Some("Journal of Bone Metabolism"), "@string macro expanded");
    assert_eq!(r.pages.as_deref(), Some("12–19"));
    assert_eq!(parsed.entries.len(), 2, "the entry after the broken one still imports");
    assert_eq!(parsed.skipped.len(), 1);
    assert_eq!((parsed.skipped[0].line, parsed.skipped[0].key.as_deref()), (9, Some("broken")));
}

#[test]
fn ris_multiline_fields_bom_and_unicode() {
    let multi = parse("rispy-example_multiline.ris", Source::Ris);
    let notes: Vec<_> = multi.entries.iter().map(|e| e.reference.note.clone().unwrap()).collect();
    assert_eq!(notes, ["first line * second line * last line"; 3]);
    assert!(multi.entries.iter().all(|e| e.warnings.contains(&"no title".to_string())));
    let bom = only(parse("rispy-example_bom.ris", Source::Ris));
    assert_eq!(bom.doi.as_deref(), Some("10.1186/s40981-020-0316-0"));
    let utf = only(parse("rispy-example_utf_chars.ris", Source::Ris));
    assert_eq!(utf.authors[0], "Dobrokhotova, Yu E.");
    assert!(utf.title.starts_with("Состояние рецепторного аппарата"), "{}", utf.title);
    assert_eq!(utf.note.as_deref(), Some("Ä,Ö,Ü,ä,ö,ü,ß"));
    assert_eq!((utf.volume.as_deref(), utf.pages.as_deref()), (Some("8"), Some("52-57")));
}

#[test]
fn zotero_csl_json_with_pmid_in_the_note() {
    let parsed = parse("commonmeta-csl-list.json", Source::CslJson);
    assert_eq!(parsed.entries.len(), 17);
    assert_eq!(parsed.entries.iter().filter(|e| e.reference.doi.is_some()).count(), 14);
    let rambo = parsed
        .entries
        .iter()
        .find(|e| e.reference.doi.as_deref() == Some("10.1016/j.bpj.2015.04.023"))
        .unwrap();
    assert_eq!(rambo.reference.pmid.as_deref(), Some("25992719"));
    assert_eq!(parsed.entries[1].reference.kind, "book");
    // This export carries a title whose UTF-8 was decoded as Latin-1 twice.
    let sailing = parsed.entries.iter().find(|e| e.reference.title.contains("Sailing")).unwrap();
    assert_eq!(sailing.reference.title, "A Miniscule System of a \u{2018}Sailing Rock\u{2019}");
    assert!(sailing.warnings.iter().any(|w| w.contains("mis-encoded")), "{:?}", sailing.warnings);
}

/// Import → write → load → check is clean, and importing again adds nothing.
#[test]
fn every_importer_round_trips_through_a_graph_file() {
    let cases = [
        ("commonmeta-crossref.bib", "bibtex"),
        ("pybtex-xampl.bib", "bibtex"),
        ("commonmeta-crossref.ris", "ris"),
        ("rispy-example_utf_chars.ris", "ris"),
        ("commonmeta-csl-list.json", "csl-json"),
        ("biopython-medline-pubmed_result2.txt", "medline"),
    ];
    for (file, from) in cases {
        let dir = tempfile::tempdir().unwrap();
        let graph = dir.path().join("g.json");
        let g = graph.to_str().unwrap();
        assert_eq!(run(&["init", g]).0, 0);
        let path = fixture(&format!("import/{file}"));
        let (code, first, err) = run(&["--graph", g, "import", path.to_str().unwrap(), "--from", from]);
        assert_eq!(code, 0, "{file}: {first}{err}");
        let (code, stdout, _) = run(&["--graph", g, "check"]);
        assert_eq!(code, 0, "{file}: {stdout}");
        assert!(stdout.contains(" 0 errors"), "{file}: {stdout}");
        let before = std::fs::read(&graph).unwrap();
        let (code, second, _) = run(&["--graph", g, "import", path.to_str().unwrap(), "--from", from]);
        assert_eq!(code, 0);
        assert!(
            second.lines().any(|l| l.starts_with("0 added, ")),
            "{file}: second import adds nothing: {second}"
        );
        assert_eq!(std::fs::read(&graph).unwrap(), before, "{file}: file untouched by a no-op import");
    }
}

#[test]
fn import_report_names_warnings_duplicates_and_skips() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.json");
    let g = g.to_str().unwrap();
    run(&["init", g]);
    let path = fixture("import/latex-and-broken.bib");
    run(&["--graph", g, "add", "reference", "--title", "A Book", "--year", "2003", "--id", "smith-book"]);
    let (code, stdout, stderr) = run(&["--graph", g, "import", path.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout.replace(g, "g.json"));
}

#[test]
fn unknown_extension_and_wrong_format_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.json");
    let g = g.to_str().unwrap();
    run(&["init", g]);
    let (code, _, stderr) = run(&["--graph", g, "import", fixture("import/README.md").to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(stderr.contains("cannot tell the format") && stderr.contains("--from"), "{stderr}");
    let ris = fixture("import/commonmeta-crossref.ris");
    let (code, _, stderr) = run(&["--graph", g, "import", ris.to_str().unwrap(), "--from", "medline"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("no MEDLINE records found"), "{stderr}");
}

/// A scratch graph and a runner for `claimgraph --graph g.json …` in it.
fn scratch() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.json").to_str().unwrap().to_string();
    assert_eq!(run(&["init", &g]).0, 0);
    (dir, g)
}

#[test]
fn pubmed_xml_is_read() {
    let parsed = parse("biopython-entrez-pubmed2.xml", Source::PubmedXml);
    assert!(parsed.skipped.is_empty(), "{:?}", parsed.skipped);
    let refs: Vec<&Reference> = parsed.entries.iter().map(|e| &e.reference).collect();
    assert_eq!(refs.len(), 2);
    let first = refs[0];
    assert_eq!(
        (first.pmid.as_deref(), first.doi.as_deref()),
        (Some("11748933"), Some("10.1006/cryo.2001.2328"))
    );
    assert_eq!(
        (first.year, first.journal.as_deref(), first.volume.as_deref()),
        (Some(2001), Some("Cryobiology"), Some("42"))
    );
    assert!(first.title.starts_with("Is cryopreservation a homogeneous process?"), "{}", first.title);
    assert_eq!(first.authors[0], "Taddei, A R");
    assert_eq!(refs[1].pmid.as_deref(), Some("11700088"));
    // and from the command line, by extension
    let (_dir, g) = scratch();
    let xml = fixture("import/biopython-entrez-pubmed2.xml");
    let (code, out, err) = run(&["--graph", &g, "import", xml.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("2 added, 0 already present, 0 skipped"), "{out}");
}

#[test]
fn web_of_science_is_said_to_be_unsupported_without_suggesting_from() {
    let (_dir, g) = scratch();
    let wos = fixture("import/rispy-example_wos.ris");
    let (code, _, err) = run(&["--graph", &g, "import", wos.to_str().unwrap()]);
    assert_ne!(code, 0);
    // The message wraps at the terminal width wherever the file path puts
    // the break, so compare it with line breaks and box drawing squeezed out.
    let words: String = err.chars().filter(|c| c.is_alphanumeric()).collect();
    assert!(words.contains("WebofScience") && words.contains("doesnotread"), "{err}");
    assert!(!err.contains("--from"), "no --from fits a Web of Science export: {err}");
}

#[test]
fn csl_json_latex_escapes_become_unicode() {
    let parsed = parse("commonmeta-csl-list.json", Source::CslJson);
    let titles: Vec<&str> = parsed.entries.iter().map(|e| e.reference.title.as_str()).collect();
    assert!(titles.iter().any(|t| t.starts_with("Exposición Temprana de Nativos Digitales")), "{titles:?}");
    assert!(titles.iter().all(|t| !t.contains('\\')), "{titles:?}");
}

#[test]
fn only_and_exclude_take_part_of_a_file_and_dry_run_says_would_add() {
    let (_dir, g) = scratch();
    let bib = fixture("import/pybtex-xampl.bib");
    let bib = bib.to_str().unwrap();
    let (code, out, err) =
        run(&["--graph", &g, "import", bib, "--only", "article-full,whole-journal", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("would add reference `article-full`") && out.contains("2 would be added"), "{out}");
    assert!(!out.contains("added reference"), "a dry run adds nothing: {out}");
    let (code, out, err) = run(&["--graph", &g, "import", bib, "--exclude", "article-full"]);
    assert_eq!(code, 0, "{err}");
    let g_json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&g).unwrap()).unwrap();
    let ids: Vec<&str> =
        g_json["references"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(!ids.contains(&"article-full") && ids.contains(&"article-minimal"), "{ids:?}\n{out}");
    let (code, _, err) = run(&["--graph", &g, "import", bib, "--only", "artcle-full"]);
    assert_ne!(code, 0);
    assert!(err.contains("no entry `artcle-full`") && err.contains("did you mean `article-full`?"), "{err}");
}
