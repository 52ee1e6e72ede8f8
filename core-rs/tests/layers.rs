//! The crate is layered like the kernel (see `docs/ARCHITECTURE.md`): sample drivers use only
//! the Rust abstraction, the abstraction reaches the C side only through `bindings`, the C side
//! calls drivers only through `file_operations` (function pointers, never an import), inside
//! the C side `linux/` never imports `io_uring/`, the machine's state (`sim`) names no
//! subsystem, and the scheduler and system-call entry (`sched`) sit above what they dispatch
//! to. This test reads every source file and fails on an import that goes the wrong way and on
//! any import cycle between top-level modules.
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
        "ring" => &["uapi"],
        // The headers: types and constants every subsystem shares, including the structs the
        // machine's state is made of.
        "include" => &["uapi", "ring"],
        "trace" => &["uapi", "include"],
        // The machine's state (per subsystem, typed in `include`), its clock and the trace.
        // It names no subsystem's code.
        "sim" => &["uapi", "include", "trace", "ring"],
        // The C side. `linux` is below `io_uring`: it must not import it.
        "linux" => &["uapi", "include", "trace", "ring", "sim"],
        "io_uring" => &["uapi", "include", "trace", "ring", "sim", "linux"],
        // The scheduler and the system-call entry: above the subsystems it dispatches to,
        // as the kernel's syscall table is.
        "sched" => &[
            "uapi", "include", "trace", "ring", "sim", "linux", "io_uring",
        ],
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

/// The edges that issue 12 removed and that must not come back: the machine's state naming a
/// subsystem, and `linux` naming `io_uring`.
const FORBIDDEN: &[(&str, &str)] = &[
    ("sim", "io_uring"),
    ("sim", "linux"),
    ("sim", "sched"),
    ("linux", "io_uring"),
    ("linux", "sched"),
    ("io_uring", "sched"),
    ("include", "sim"),
    ("include", "trace"),
];

#[test]
fn no_wrong_way_edge() {
    let g = graph();
    let bad: Vec<String> = FORBIDDEN
        .iter()
        .filter_map(|(from, to)| {
            let files = g.get(*from)?.get(*to)?;
            Some(format!("{} -> {} (in {})", from, to, files.join(", ")))
        })
        .collect();
    assert!(bad.is_empty(), "wrong-way imports:\n{}", bad.join("\n"));
}

/// `linux/` reaches no io_uring state either: the machine's `io_uring` part (`s.io_uring`) is
/// io_uring's own; linux asks `Sim` for what it needs (`Sim::cur_req`).
#[test]
fn linux_does_not_reach_into_io_urings_state() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    let mut bad = Vec::new();
    for (rel, code) in files {
        if module_of(&rel) != "linux" {
            continue;
        }
        for (n, line) in code.lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with("#[cfg(test)]") {
                break;
            }
            if !t.starts_with("//") && t.contains(".io_uring.") {
                bad.push(format!("{}:{}: {}", rel, n + 1, t));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "linux/ touches io_uring's state:\n{}",
        bad.join("\n")
    );
}

/// Returns one import cycle between top-level modules, if there is any (depth-first search).
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for t in g.get(n).into_iter().flatten() {
            match state.get(t.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|x| x == t).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(t.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(t, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            let mut stack = Vec::new();
            if let Some(c) = visit(n, g, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

/// The graph as module -> modules it imports.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    graph()
        .into_iter()
        .map(|(m, ts)| (m, ts.into_keys().collect()))
        .collect()
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let cycle = find_cycle(&edges());
    assert!(
        cycle.is_none(),
        "import cycle between top-level modules: {}",
        cycle.unwrap_or_default().join(" -> ")
    );
}

#[test]
fn the_cycle_finder_finds_cycles() {
    fn add(g: &mut BTreeMap<String, BTreeSet<String>>, a: &str, b: &str) {
        g.entry(a.to_string()).or_default().insert(b.to_string());
    }
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    add(&mut g, "sim", "trace");
    add(&mut g, "io_uring", "sim");
    add(&mut g, "linux", "sim");
    assert_eq!(find_cycle(&g), None);
    add(&mut g, "sim", "io_uring");
    let c = find_cycle(&g).expect("a cycle");
    assert_eq!(c.first(), c.last());
    assert!(c.contains(&"sim".to_string()) && c.contains(&"io_uring".to_string()));
}

#[test]
fn the_scanner_sees_imports_and_skips_comments_and_tests() {
    let code = "use crate::io_uring::x;\n// crate::kernel in a comment\nfn f() { crate::linux::fs::fput(); }\n#[cfg(test)]\nmod tests { use crate::drivers; }\n";
    let got: Vec<String> = imports(code).into_iter().collect();
    assert_eq!(got, vec!["io_uring".to_string(), "linux".to_string()]);
    assert!(allowed("drivers").unwrap().contains(&"kernel"));
    assert!(!allowed("linux").unwrap().contains(&"io_uring"));
    assert!(!allowed("sim").unwrap().contains(&"io_uring"));
    assert!(!allowed("sim").unwrap().contains(&"linux"));
}

/// Prints the import graph (`cargo test --test layers -- --ignored print_the_graph --nocapture`).
#[test]
#[ignore]
fn print_the_graph() {
    for (m, targets) in graph() {
        let ts: Vec<&str> = targets.keys().map(|s| s.as_str()).collect();
        println!("{:9} -> {}", m, ts.join(", "));
    }
}
