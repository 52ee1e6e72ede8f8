//! The repository stands alone: every relative link in a Markdown file resolves to a file in the
//! repository, nothing points at the design notes outside it, and every `docs/kernel-notes.md §N`
//! or `docs/trace-format.md §N` a source file cites names a section those documents have.

use std::path::{Path, PathBuf};

const SKIP_DIRS: &[&str] = &[
    "node_modules",
    "target",
    ".git",
    "dist",
    "public",
    "test-results",
    ".build",
    "pkg",
];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(_) => return,
    };
    for e in rd.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            if !SKIP_DIRS.contains(&name.as_str()) {
                walk(&p, out);
            }
        } else {
            out.push(p);
        }
    }
}

fn files(exts: &[&str]) -> Vec<PathBuf> {
    let mut all = Vec::new();
    walk(&repo(), &mut all);
    all.into_iter()
        .filter(|p| {
            p.extension()
                .map_or(false, |x| exts.iter().any(|e| x == *e))
        })
        .collect()
}

/// The targets of `[text](target)` links in Markdown.
fn links(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = md;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        if let Some(end) = after.find(')') {
            out.push(after[..end].trim().to_string());
        }
        rest = after;
    }
    out
}

#[test]
fn every_relative_markdown_link_resolves_inside_the_repository() {
    let root = repo().canonicalize().unwrap();
    let mut bad = Vec::new();
    for f in files(&["md"]) {
        let text = std::fs::read_to_string(&f).unwrap();
        for l in links(&text) {
            if l.starts_with("http://")
                || l.starts_with("https://")
                || l.starts_with("mailto:")
                || l.starts_with('#')
                || l.is_empty()
            {
                continue;
            }
            let path = l.split('#').next().unwrap();
            let target = f.parent().unwrap().join(path);
            match target.canonicalize() {
                Ok(t) if t.starts_with(&root) => {}
                Ok(_) => bad.push(format!("{}: {} leaves the repository", f.display(), l)),
                Err(_) => bad.push(format!("{}: {} does not exist", f.display(), l)),
            }
        }
    }
    assert!(bad.is_empty(), "broken links:\n{}", bad.join("\n"));
}

#[test]
fn nothing_points_at_the_design_notes_outside_the_repository() {
    let mut bad = Vec::new();
    for f in files(&["md", "rs", "ts", "tsx", "mjs", "js", "c", "h", "json"]) {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        // Built at run time so this file does not match itself.
        let needle = format!("{}/{}", "shared", "design");
        if text.contains(&needle) {
            bad.push(f.display().to_string());
        }
    }
    assert!(
        bad.is_empty(),
        "files pointing outside the repository: {:?}",
        bad
    );
}

/// The section numbers (`1.4`, `3.10`, `10`) a Markdown document has as headings.
fn sections(md: &str) -> Vec<String> {
    md.lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| {
            let t = l.trim_start_matches('#').trim();
            let num: String = t
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let num = num.trim_end_matches('.').to_string();
            if num.is_empty() {
                None
            } else {
                Some(num)
            }
        })
        .collect()
}

#[test]
fn cited_sections_exist() {
    let docs = [
        ("docs/kernel-notes.md §", "docs/kernel-notes.md"),
        ("docs/trace-format.md §", "docs/trace-format.md"),
        ("format §", "docs/trace-format.md"),
    ];
    let mut bad = Vec::new();
    for (cite, doc) in docs {
        let have = sections(&std::fs::read_to_string(repo().join(doc)).unwrap());
        for f in files(&["rs", "ts", "tsx", "mjs", "c", "h", "md"]) {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let mut rest = text.as_str();
            while let Some(i) = rest.find(cite) {
                let after = &rest[i + cite.len()..];
                let num: String = after
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                let num = num.trim_end_matches('.').to_string();
                // `§1.1–1.2` and `§3–5` cite the first section of a range.
                if !num.is_empty() && !have.contains(&num) {
                    bad.push(format!("{}: {}{}", f.display(), cite, num));
                }
                rest = after;
            }
        }
    }
    assert!(
        bad.is_empty(),
        "citations of missing sections:\n{}",
        bad.join("\n")
    );
}
