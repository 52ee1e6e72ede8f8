//! Kernel errors: negative errnos as a Rust type.
//!
//! Mirrors: `rust/kernel/error.rs` (`Error`, `Result`, `code::*`, `to_result`, `from_result`).
//!
//! Differences from upstream: only the codes the simulated drivers and abstractions use are
//! declared; `Error::from_errno` maps an out-of-range value to `EINVAL` without the warning
//! upstream prints.

use core::fmt;
use core::num::NonZeroI32;

use crate::bindings::errno;

/// Generic integer kernel error: a negative errno between `-MAX_ERRNO` and -1.
///
/// # Invariants
///
/// The value is a valid errno, i.e. `>= -MAX_ERRNO && < 0`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(NonZeroI32);

/// `MAX_ERRNO` (`include/linux/err.h`).
pub const MAX_ERRNO: i32 = 4095;

const fn err(positive: i32) -> Error {
    match NonZeroI32::new(-positive) {
        Some(v) => Error(v),
        None => panic!("errno 0"),
    }
}

/// The error codes, as `kernel::error::code` declares them.
pub mod code {
    use super::{err, errno, Error};

    macro_rules! declare_err {
        ($($name:ident),* $(,)?) => {
            $(
                #[doc = concat!("`", stringify!($name), "`.")]
                pub const $name: Error = err(errno::$name);
            )*
        };
    }

    declare_err!(
        EPERM,
        ENOENT,
        EINTR,
        EIO,
        EBADF,
        EAGAIN,
        ENOMEM,
        EFAULT,
        EBUSY,
        EEXIST,
        ENODEV,
        EINVAL,
        ENOTTY,
        EOPNOTSUPP,
        ECANCELED,
        EOVERFLOW,
        ENOSYS,
        EIOCBQUEUED,
    );
}

impl Error {
    /// Creates an [`Error`] from a kernel error code (a negative errno).
    ///
    /// A value that is not a valid errno becomes `EINVAL`.
    pub fn from_errno(errno: i32) -> Error {
        if !(-MAX_ERRNO..0).contains(&errno) {
            return code::EINVAL;
        }
        // INVARIANT: the range was checked just above.
        Error(NonZeroI32::new(errno).expect("checked non-zero"))
    }

    /// Returns the kernel error code (a negative errno).
    pub fn to_errno(self) -> i32 {
        self.0.get()
    }

    /// Returns the error's name (`"EINVAL"`), if known.
    pub fn name(&self) -> Option<&'static str> {
        errno::errno_name(-self.0.get())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "Error({})", self.0.get()),
        }
    }
}

/// A [`Result`] with an [`Error`] error type.
pub type Result<T = (), E = Error> = core::result::Result<T, E>;

/// Converts an integer as returned by a C kernel function to a [`Result`].
///
/// # Errors
///
/// A negative `err` becomes `Err(Error::from_errno(err))`.
pub fn to_result(err: i32) -> Result {
    if err < 0 {
        Err(Error::from_errno(err))
    } else {
        Ok(())
    }
}

/// Calls a closure returning a [`Result<T>`] and converts it into the C convention: the value,
/// or the negative errno.
///
/// This is how `extern "C"` trampolines hand Rust results back to C.
pub fn from_result<T, F>(f: F) -> T
where
    T: From<i16>,
    F: FnOnce() -> Result<T>,
{
    match f() {
        Ok(v) => v,
        // NO-OVERFLOW: a valid errno is at least -MAX_ERRNO, which fits in an i16.
        Err(e) => T::from(e.to_errno() as i16),
    }
}

#[cfg(test)]
mod tests {
    use super::code::*;
    use super::*;

    #[test]
    fn conversions_follow_the_c_convention() {
        assert_eq!(EINVAL.to_errno(), -22);
        assert_eq!(EIOCBQUEUED.to_errno(), -529);
        assert_eq!(Error::from_errno(-25), ENOTTY);
        assert_eq!(Error::from_errno(5), EINVAL);
        assert_eq!(Error::from_errno(-5000), EINVAL);
        assert_eq!(to_result(-9), Err(EBADF));
        assert_eq!(to_result(3), Ok(()));
        assert_eq!(from_result::<i32, _>(|| Ok(7)), 7);
        assert_eq!(from_result::<i32, _>(|| Err(EAGAIN)), -11);
        assert_eq!(format!("{:?}", EOPNOTSUPP), "EOPNOTSUPP");
    }
}
