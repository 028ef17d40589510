//! `ReleaseError`: what `release()` of a lock the caller may not release
//! returns.

use std::fmt;

/// The error of a `release()` that Python answers with `RuntimeError`.
///
/// Its `Display` is Python's message.
///
/// # Examples
///
/// ```
/// use sync_lock::{Lock, ReleaseError, RLock};
///
/// let err = Lock::new().release().unwrap_err();
/// assert_eq!(err, ReleaseError::Unlocked);
/// assert_eq!(err.to_string(), "release unlocked lock");
///
/// let err = RLock::new().release().unwrap_err();
/// assert_eq!(err.to_string(), "cannot release un-acquired lock");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReleaseError {
    /// A [`Lock`](crate::Lock) released while it was not locked: "release
    /// unlocked lock".
    Unlocked,
    /// An [`RLock`](crate::RLock) released by a thread that does not own it
    /// (or while nobody does): "cannot release un-acquired lock".
    NotOwned,
}

impl fmt::Display for ReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReleaseError::Unlocked => "release unlocked lock",
            ReleaseError::NotOwned => "cannot release un-acquired lock",
        })
    }
}

impl std::error::Error for ReleaseError {}
