//! `ConditionError`: a wait or notify by a thread that does not hold the
//! condition's lock.

use std::fmt;

/// The error of a Python-style [`Condition`](crate::Condition) wait or
/// notify made without holding its lock (Python's `RuntimeError`); its
/// `Display` is Python's message.
///
/// # Examples
///
/// ```
/// use sync_condition::{Condition, ConditionError};
///
/// let cond = Condition::new();
/// assert_eq!(cond.wait(), Err(ConditionError::WaitUnacquired));
/// assert_eq!(cond.notify_all().unwrap_err().to_string(), "cannot notify on un-acquired lock");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConditionError {
    /// "cannot wait on un-acquired lock".
    WaitUnacquired,
    /// "cannot notify on un-acquired lock".
    NotifyUnacquired,
}

impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConditionError::WaitUnacquired => "cannot wait on un-acquired lock",
            ConditionError::NotifyUnacquired => "cannot notify on un-acquired lock",
        })
    }
}

impl std::error::Error for ConditionError {}
