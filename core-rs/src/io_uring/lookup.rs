//! Looking requests and rings up: the [`live!`] macro and the value a lookup that finds
//! nothing returns ([`Stale`]).
//!
//! No upstream counterpart: the kernel dereferences `struct io_kiocb *` and
//! `struct io_ring_ctx *` directly. Here requests are named by a
//! [`Req`](crate::include::io_uring_types::Req) handle resolved through `Sim::req` (an
//! `Option`), and a lookup that fails — a simulator bug, never bad input — must not trap the
//! wasm core.

use crate::include::fs::TwToken;
use crate::trace::Ctx;
use crate::uapi::errno::EFAULT;
use crate::uapi::io_uring::io_uring_cqe;

/// Unwraps a lookup (of a ring, or of a request through its
/// [`Req`](crate::include::io_uring_types::Req) handle) or, if it found nothing, returns from
/// the calling function with that function's [`Stale`] value.
///
/// A handle the core made always resolves; one that does not is a simulator bug, so debug
/// builds (all of `cargo test`) stop there, while the wasm core treats the request as gone
/// instead of trapping.
macro_rules! live {
    ($e:expr) => {
        match $e {
            Some(v) => v,
            None => return $crate::io_uring::stale(),
        }
    };
}

/// What [`live!`] returns when a lookup finds nothing (see there).
#[track_caller]
pub(crate) fn stale<T: Stale>() -> T {
    debug_assert!(
        false,
        "a request or ring handle resolved to nothing (a simulator bug)"
    );
    T::stale()
}

/// The value a function returns from a lookup that found nothing ([`live!`]): zero, `false`,
/// `None`, an error, the do-nothing variant.
pub(crate) trait Stale {
    /// That value.
    fn stale() -> Self;
}

macro_rules! stale_default {
    ($($t:ty),*) => {
        $(impl Stale for $t {
            fn stale() -> Self {
                Default::default()
            }
        })*
    };
}
stale_default!(
    (),
    bool,
    u8,
    u32,
    u64,
    i32,
    i64,
    usize,
    [u64; 2],
    io_uring_cqe,
    TwToken
);

impl<T> Stale for *mut T {
    fn stale() -> Self {
        core::ptr::null_mut()
    }
}

impl Stale for [u8; 128] {
    fn stale() -> Self {
        [0; 128]
    }
}

impl<T> Stale for Option<T> {
    fn stale() -> Self {
        None
    }
}

impl<T> Stale for Result<T, i32> {
    fn stale() -> Self {
        Err(EFAULT)
    }
}

impl<A: Stale, B: Stale> Stale for (A, B) {
    fn stale() -> Self {
        (A::stale(), B::stale())
    }
}

impl<A: Stale, B: Stale, C: Stale> Stale for (A, B, C) {
    fn stale() -> Self {
        (A::stale(), B::stale(), C::stale())
    }
}

impl<A: Stale, B: Stale, C: Stale, D: Stale> Stale for (A, B, C, D) {
    fn stale() -> Self {
        (A::stale(), B::stale(), C::stale(), D::stale())
    }
}

impl Stale for Ctx {
    fn stale() -> Self {
        Ctx::User
    }
}
