//! The crate is layered like the kernel (see `docs/ARCHITECTURE.md`): sample drivers use only
//! the Rust abstraction, the abstraction reaches the C side only through `bindings`, the C side
//! calls drivers only through `file_operations` (function pointers, never an import), and inside
//! the C side `linux/` never imports `io_uring/`. This test reads every source file and fails on
//! an import that goes the wrong way.
//!
//! Only code counts: comments and `#[cfg(test)]` modules (which may inspect anything) are
//! skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level module a file belongs to (`io_uring`, `linux`, `bindings`, ...).
fn module_of(rel: &str) -> String {
    let first = rel.split('/').next().unwrap_or(rel);
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules `code` names through `crate::`.
fn imports(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        let mut rest = t;
        while let Some(i) = rest.find("crate::") {
            let after = &rest[i + 7..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
            rest = after;
        }
    }
    out
}

/// Which modules each layer may import (its own module is always allowed).
fn allowed(m: &str) -> Option<&'static [&'static str]> {
    const BOTTOM: &[&str] = &["uapi", "include", "trace", "ring"];
    Some(match m {
        "uapi" => &[],
        "include" => &["uapi"],
        "trace" => &["uapi", "include"],
        "ring" => &["uapi", "include"],
        // The C side: the world (`sim`), io_uring and the rest of the kernel. `linux` is below
        // `io_uring`: it must not import it.
        "linux" => &["uapi", "include", "trace", "ring", "sim"],
        "io_uring" => &["uapi", "include", "trace", "ring", "sim", "linux"],
        "sim" => &["uapi", "include", "trace", "ring", "linux", "io_uring"],
        "bindings" => &[
            "uapi", "include", "trace", "ring", "sim", "linux", "io_uring",
        ],
        // Rust for Linux: `kernel` reaches C only through `bindings` (and the uapi constants).
        "kernel" => &["bindings", "uapi"],
        "drivers" => &["kernel"],
        // The wasm ABI and the crate root sit on top.
        "ffi" | "lib" => return None,
        _ => BOTTOM,
    })
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            walk(&p, root, out);
        } else if p.extension().map_or(false, |x| x == "rs") {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&p).expect("read file")));
        }
    }
}

fn graph() -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    let mut g: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (rel, code) in files {
        let m = module_of(&rel);
        for t in imports(&code) {
            if t != m {
                g.entry(m.clone())
                    .or_default()
                    .entry(t)
                    .or_default()
                    .push(rel.clone());
            }
        }
    }
    g
}

#[test]
fn every_import_goes_down_a_layer() {
    let mut bad = Vec::new();
    for (m, targets) in graph() {
        let ok = match allowed(&m) {
            Some(a) => a,
            None => continue,
        };
        for (t, files) in targets {
            if !ok.contains(&t.as_str()) {
                bad.push(format!("{} -> {} (in {})", m, t, files.join(", ")));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports that go the wrong way:\n{}",
        bad.join("\n")
    );
}

#[test]
fn io_uring_and_linux_do_not_import_each_other_both_ways() {
    let g = graph();
    let li = g.get("linux").map_or(false, |t| t.contains_key("io_uring"));
    assert!(
        !li,
        "linux/ imports io_uring/: {:?}",
        g["linux"]["io_uring"]
    );
}

#[test]
fn the_scanner_sees_imports_and_skips_comments_and_tests() {
    let code = "use crate::io_uring::x;\n// crate::kernel in a comment\nfn f() { crate::linux::fs::fput(); }\n#[cfg(test)]\nmod tests { use crate::drivers; }\n";
    let got: Vec<String> = imports(code).into_iter().collect();
    assert_eq!(got, vec!["io_uring".to_string(), "linux".to_string()]);
    assert!(allowed("drivers").unwrap().contains(&"kernel"));
    assert!(!allowed("linux").unwrap().contains(&"io_uring"));
}

/// Prints the import graph (`cargo test --test layers -- --nocapture --ignored`).
#[test]
#[ignore]
fn print_the_graph() {
    for (m, targets) in graph() {
        let ts: Vec<&str> = targets.keys().map(|s| s.as_str()).collect();
        println!("{:9} -> {}", m, ts.join(", "));
    }
}
