//! The table of source files whose lines trace records can point at.
//!
//! Mirrors: nothing upstream. A trace record's `src` is `file id << 16 | line`: the driver or
//! abstraction line that caused the event, stamped by `#[track_caller]` APIs in
//! [`crate::kernel`] (see [`stamp`]). The UI's code view resolves an id with this table, which
//! `tests/abi.rs` renders into `web/src/wasm/abi.generated.ts` as `SOURCE_FILES`.
//!
//! Ids are part of the ABI: append new files, never renumber.

use core::panic::Location;

/// Every file a record can point at: `(id, path from the repository root)`. Id 0 means "none".
pub const SOURCE_FILES: &[(u16, &str)] = &[
    (1, "core-rs/src/kernel/io_uring.rs"),
    (2, "core-rs/src/kernel/io_uring/v3.rs"),
    (3, "core-rs/src/kernel/miscdevice.rs"),
    (4, "core-rs/src/kernel/miscdevice/v3.rs"),
    (5, "core-rs/src/kernel/uaccess.rs"),
    (6, "core-rs/src/kernel/workqueue.rs"),
    (7, "core-rs/src/kernel/print.rs"),
    (8, "core-rs/src/drivers/rust_misc_device_v3.rs"),
    (9, "core-rs/src/drivers/rust_misc_device_v4.rs"),
    (10, "core-rs/src/drivers/rust_misc_device.rs"),
    (11, "core-rs/src/drivers/rust_delay_device.rs"),
    (12, "core-rs/src/drivers/rust_eagain_device.rs"),
    (13, "core-rs/src/drivers/rust_no_uring_cmd.rs"),
    (14, "core-rs/src/drivers/rust_nvme_passthru.rs"),
    (15, "core-rs/src/drivers/rust_ublk.rs"),
    (16, "core-rs/src/drivers/rust_pdu_counter.rs"),
    (17, "core-rs/src/drivers/rust_double_done.rs"),
    (18, "core-rs/src/drivers/rust_sqe_after_issue.rs"),
    (19, "core-rs/src/drivers/rust_pdu_too_big.rs"),
    (20, "core-rs/src/kernel/error.rs"),
    (21, "core-rs/src/kernel/sync.rs"),
    (22, "core-rs/src/drivers/rust_teardown_hazards.rs"),
    (23, "core-rs/src/drivers/rust_res2_v3.rs"),
    (24, "core-rs/src/drivers/rust_iopoll_device.rs"),
];

/// Returns the id of the file a `file!()`/[`Location::file`] path names (0 if it is not in
/// the table).
///
/// The compiler reports paths relative to the crate (`src/drivers/x.rs`) or absolute, so the
/// match is on the part of the table's path after `core-rs/` (a `\\` counts as `/`).
/// Allocation-free: this runs for every record a driver stamps, so the answer for the last few
/// paths (`file!()` strings are static, so their address and length name them) is cached.
pub fn file_id(path: &str) -> u16 {
    let key = (path.as_ptr() as usize, path.len());
    if let Some(id) = cache_get(key) {
        return id;
    }
    let id = lookup(path.as_bytes());
    cache_put(key, id);
    id
}

fn lookup(path: &[u8]) -> u16 {
    for (id, p) in SOURCE_FILES {
        let rel = p.strip_prefix("core-rs/").unwrap_or(p).as_bytes();
        if same_path(path, p.as_bytes()) || same_path(path, rel) {
            return *id;
        }
        if path.len() > rel.len() {
            let cut = path.len() - rel.len();
            if matches!(path[cut - 1], b'/' | b'\\') && same_path(&path[cut..], rel) {
                return *id;
            }
        }
    }
    0
}

/// Byte-wise equality with `\\` read as `/`.
fn same_path(a: &[u8], b: &[u8]) -> bool {
    let norm = |c: u8| if c == b'\\' { b'/' } else { c };
    a.len() == b.len() && a.iter().zip(b).all(|(&x, &y)| norm(x) == norm(y))
}

/// A few (address, length) -> id answers of [`file_id`], per thread (tests run in parallel),
/// replaced round-robin.
const CACHE: usize = 4;

type Entry = core::cell::Cell<(usize, usize, u16)>;

std::thread_local! {
    static IDS: ([Entry; CACHE], core::cell::Cell<usize>) = Default::default();
}

fn cache_get(key: (usize, usize)) -> Option<u16> {
    IDS.with(|(ids, _)| {
        ids.iter().find_map(|e| {
            let (p, l, id) = e.get();
            ((p, l) == key).then_some(id)
        })
    })
}

fn cache_put(key: (usize, usize), id: u16) {
    IDS.with(|(ids, next)| {
        let i = next.get() % CACHE;
        ids[i].set((key.0, key.1, id));
        next.set(i + 1);
    })
}

/// Encodes a source location as a record's `src` word.
pub fn encode(file: &str, line: u32) -> u32 {
    (u32::from(file_id(file)) << 16) | (line & 0xffff)
}

/// Returns the `src` word for a caller location.
pub fn stamp(loc: &Location<'_>) -> u32 {
    encode(loc.file(), loc.line())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_paths_exist() {
        let mut ids: Vec<u16> = SOURCE_FILES.iter().map(|(i, _)| *i).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), SOURCE_FILES.len());
        assert!(!ids.contains(&0));
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        for (_, p) in SOURCE_FILES {
            assert!(
                std::path::Path::new(root).join(p).exists(),
                "{} is in SOURCE_FILES but does not exist",
                p
            );
        }
    }

    #[test]
    fn compiler_paths_resolve() {
        assert_eq!(file_id("src/kernel/io_uring.rs"), 1);
        assert_eq!(file_id("/x/y/core-rs/src/kernel/io_uring/v3.rs"), 2);
        assert_eq!(file_id("src/io_uring/mod.rs"), 0);
        assert_eq!(encode("src/kernel/uaccess.rs", 7), 5 << 16 | 7);
    }
}
