//! Generic devices.
//!
//! Mirrors: `rust/kernel/device.rs` (`Device`, used by `dev_info!`/`dev_err!`).
//!
//! Differences from upstream: a `Device` is just the name `dev_*!` messages are prefixed with;
//! drivers hold it by value instead of `ARef<Device>`.

/// A device, as far as log messages are concerned.
#[derive(Clone, Debug)]
pub struct Device {
    name: String,
}

impl Device {
    /// Creates a device called `name`.
    pub(crate) fn new(name: &str) -> Self {
        Device {
            name: name.to_string(),
        }
    }

    /// Returns the device name.
    pub fn name(&self) -> &str {
        &self.name
    }
}
