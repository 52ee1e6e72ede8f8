//! Misc device support with the RFC v3 `uring_cmd` hook.
//!
//! Mirrors: `rust/kernel/miscdevice.rs` with "[RFC PATCH v3 4/5] rust: miscdevice: Add
//! `uring_cmd` support" applied (2025-08-22, not merged). The v5 form is [`super`]; the
//! differences from upstream listed there apply here too.
//!
//! In v3 the driver borrows the command (`Pin<&mut IoUringCmd>`) for the duration of the call
//! and returns `Result<i32>`; the trampoline turns that into the C convention with
//! `from_result`, so `Err(EIOCBQUEUED)` means "queued" and a driver that wants to complete later
//! must keep a raw pointer (see [`crate::kernel::io_uring::v3`]). There is no PDU zeroing in
//! the wrapper: v3 relied on patch 2/5 zeroing it in `io_uring_cmd_prep`.

use core::marker::PhantomData;
use core::pin::Pin;

use super::{MiscDeviceOptions, RawRegistration, RawVtable};
use crate::bindings;
use crate::kernel::device::Device;
use crate::kernel::error::code::EINVAL;
use crate::kernel::error::{from_result, Result};
use crate::kernel::fs::File;
use crate::kernel::io_uring::v3::IoUringCmd;
use crate::kernel::types::ForeignOwnable;

/// A registration of a misc device whose driver uses the RFC v3 API.
///
/// # Invariants
///
/// Transparent over [`RawRegistration`], whose invariants hold.
#[repr(transparent)]
pub struct MiscDeviceRegistration<T> {
    raw: RawRegistration,
    _t: PhantomData<T>,
}

impl<T: MiscDevice> MiscDeviceRegistration<T> {
    /// Registers a misc device.
    ///
    /// # Errors
    ///
    /// `EEXIST` if a device of that name exists.
    pub fn register(opts: MiscDeviceOptions<'_>) -> Result<Pin<Box<Self>>> {
        let raw = RawRegistration::register(
            opts.name,
            RawVtable {
                fops: &MiscdeviceVTable::<T>::VTABLE,
                open: MiscdeviceVTable::<T>::open,
                sim_ctl: MiscdeviceVTable::<T>::sim_ctl,
            },
        )?;
        // SAFETY: `MiscDeviceRegistration<T>` is transparent over `RawRegistration`, and the
        // pinned box is converted without moving its contents.
        Ok(unsafe {
            Pin::new_unchecked(Box::from_raw(
                Box::into_raw(Pin::into_inner_unchecked(raw)).cast(),
            ))
        })
    }

    /// Returns the device (for `dev_info!`).
    pub fn device(&self) -> Device {
        self.raw.device()
    }
}

/// A misc device driver, with the RFC v3 `uring_cmd` hook.
pub trait MiscDevice: Sized + 'static {
    /// Called when the device is opened; the returned object becomes the file's private data.
    fn open(file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Box<Self>>;

    /// Called when the file's last reference goes away; takes the object back.
    fn release(device: Box<Self>, _file: &File) {
        drop(device);
    }

    /// Whether [`MiscDevice::uring_cmd`] is implemented (the `#[vtable]` stand-in).
    const HAS_URING_CMD: bool = false;

    /// Handles an `IORING_OP_URING_CMD` on this device (v3 signature).
    ///
    /// `device` is the object `open` returned, `io_uring_cmd` gives `cmd_op`, the SQE and the
    /// PDU, and `issue_flags` the `IO_URING_F_*` flags of this call.
    fn uring_cmd(
        _device: &Self,
        _io_uring_cmd: Pin<&mut IoUringCmd>,
        _issue_flags: u32,
    ) -> Result<i32> {
        unreachable!("uring_cmd called although HAS_URING_CMD is false")
    }

    /// Simulator-only: a device poke from `rs_dev_ctl`. The default refuses every action.
    ///
    /// # Errors
    ///
    /// `EINVAL` for an unknown action.
    fn sim_ctl(_device: &Self, _action: &str, _arg: i32) -> Result<i32> {
        Err(EINVAL)
    }
}

/// The `file_operations` trampolines for a v3 [`MiscDevice`].
struct MiscdeviceVTable<T: MiscDevice>(PhantomData<T>);

impl<T: MiscDevice> MiscdeviceVTable<T> {
    /// # Safety
    ///
    /// The caller (`misc_open`) must ensure that `file` is live and that its `private_data` is
    /// the `struct miscdevice` of a live `MiscDeviceRegistration<T>`.
    unsafe fn open(file: *mut bindings::file) -> i32 {
        // SAFETY: `misc_open` stored the miscdevice, the first field of the registration, in
        // `private_data`.
        let misc = unsafe { &*((*file).private_data as *const MiscDeviceRegistration<T>) };
        // SAFETY: the file is live for the duration of `open`.
        let f = unsafe { File::from_raw_file(file) };
        let ptr = match T::open(f, misc) {
            Ok(p) => p,
            Err(e) => return e.to_errno(),
        };
        // SAFETY: the file is live; `private_data` owns the object until `release`.
        unsafe { (*file).private_data = ptr.into_foreign() };
        0
    }

    /// # Safety
    ///
    /// The caller must ensure that `file` is a live file opened through [`Self::open`] and that
    /// no other file operation runs on it anymore.
    unsafe fn release(file: *mut bindings::file) {
        // SAFETY: `private_data` came from `into_foreign` in `open`; release is the last call.
        let device = unsafe { <Box<T> as ForeignOwnable>::from_foreign((*file).private_data) };
        // SAFETY: the file is live for the duration of `release`.
        T::release(device, unsafe { File::from_raw_file(file) });
        bindings::sim::dev_released();
    }

    /// # Safety
    ///
    /// The caller must ensure that:
    /// - The pointer `ioucmd` is not null and points to a valid `bindings::io_uring_cmd`.
    unsafe fn uring_cmd(ioucmd: *mut bindings::io_uring_cmd, issue_flags: u32) -> i32 {
        bindings::sim::set_src_at(file!(), line!());
        // SAFETY: `file` referenced by `ioucmd` is valid; it was assigned in preparation.
        let raw_file = unsafe { (*ioucmd).file };

        // SAFETY: `private_data` holds the driver's object since `open`.
        let private = unsafe { (*raw_file).private_data };

        // SAFETY: `ioucmd` points to a live command that does not move during the call.
        let ioucmd = unsafe { IoUringCmd::from_raw(ioucmd) };

        // SAFETY: `private` came from `into_foreign` in `open`, and `from_foreign` only runs in
        // `release`, after every request holding the file is gone.
        let device = unsafe { <Box<T> as ForeignOwnable>::borrow(private) };

        from_result(|| T::uring_cmd(device, ioucmd, issue_flags))
    }

    /// # Safety
    ///
    /// The caller must ensure that `file` is a live file opened through [`Self::open`].
    unsafe fn sim_ctl(file: *mut bindings::file, action: &str, arg: i32) -> i32 {
        // SAFETY: `private_data` came from `into_foreign` in `open`.
        let device = unsafe { <Box<T> as ForeignOwnable>::borrow((*file).private_data) };
        from_result(|| T::sim_ctl(device, action, arg))
    }

    const VTABLE: bindings::file_operations = bindings::file_operations {
        name: "rust_misc_fops",
        uring_cmd: if T::HAS_URING_CMD {
            Some(Self::uring_cmd)
        } else {
            None
        },
        uring_cmd_iopoll: None,
        release: Some(Self::release),
    };
}
