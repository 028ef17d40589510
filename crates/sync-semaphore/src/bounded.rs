//! `BoundedSemaphore`: a `Semaphore` that refuses to grow past its initial
//! value.

use crate::semaphore::{Semaphore, MAX_VALUE};
use std::error::Error;
use std::fmt;
use std::panic::Location;
use std::time::Duration;
use thread_core::__private::wait::WaitTarget;
use thread_core::dump::{Kind, Target};

/// A semaphore whose value never exceeds its initial value (Python's
/// `threading.BoundedSemaphore`): a release past it is an error that changes
/// nothing, which catches a permit given back twice.
///
/// # Examples
///
/// ```
/// use sync_semaphore::BoundedSemaphore;
///
/// let s = BoundedSemaphore::new(1);
/// s.acquire();
/// assert!(s.release().is_ok());
/// assert_eq!(s.release().unwrap_err().to_string(), "Semaphore released too many times");
/// ```
pub struct BoundedSemaphore {
    sem: Semaphore,
    initial: usize,
}

impl WaitTarget for BoundedSemaphore {
    fn describe(&self) -> Target {
        self.sem.describe_as(Kind::BoundedSemaphore, self as *const BoundedSemaphore as usize)
    }

    fn label(&self) -> (Kind, Option<&'static str>) {
        (Kind::BoundedSemaphore, self.sem.name())
    }
}

impl BoundedSemaphore {
    /// A bounded semaphore holding `value` permits, which is also its
    /// bound (Python's `BoundedSemaphore(value)`).
    ///
    /// # Panics
    ///
    /// If `value` exceeds `usize::MAX / 2` ("semaphore initial value too
    /// large").
    ///
    /// # Examples
    ///
    /// ```
    /// static POOL: sync_semaphore::BoundedSemaphore = sync_semaphore::BoundedSemaphore::new(2);
    /// assert_eq!(POOL.initial_value(), 2);
    /// ```
    #[cfg(not(loom))]
    #[must_use]
    pub const fn new(value: usize) -> BoundedSemaphore {
        assert!(value <= MAX_VALUE, "semaphore initial value too large");
        BoundedSemaphore { sem: Semaphore::new(value), initial: value }
    }

    /// A bounded semaphore holding `value` permits (the loom build has no
    /// `const` atomics).
    #[cfg(loom)]
    #[must_use]
    pub fn new(value: usize) -> BoundedSemaphore {
        assert!(value <= MAX_VALUE, "semaphore initial value too large");
        BoundedSemaphore { sem: Semaphore::new(value), initial: value }
    }

    /// A bounded semaphore with `value` permits and a name, which the
    /// thread dump shows (`threading::dump()`).
    ///
    /// # Panics
    ///
    /// As [`BoundedSemaphore::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::BoundedSemaphore::named(3, "slots");
    /// assert_eq!((s.value(), s.name()), (3, Some("slots")));
    /// ```
    #[must_use]
    pub fn named(value: usize, name: &'static str) -> BoundedSemaphore {
        BoundedSemaphore { sem: Semaphore::named(value, name), initial: value }
    }

    /// The semaphore's name, if it was given one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(sync_semaphore::BoundedSemaphore::new(1).name(), None);
    /// ```
    #[must_use]
    pub fn name(&self) -> Option<&'static str> {
        self.sem.name()
    }

    /// The bound: the value it was made with.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(sync_semaphore::BoundedSemaphore::new(4).initial_value(), 4);
    /// ```
    #[inline]
    pub fn initial_value(&self) -> usize {
        self.initial
    }

    /// The permits available now: a snapshot, never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::BoundedSemaphore::new(2);
    /// s.acquire();
    /// assert_eq!(s.value(), 1);
    /// ```
    #[inline]
    pub fn value(&self) -> usize {
        self.sem.value()
    }

    /// Takes a permit, blocking until one is available (Python's
    /// `acquire()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::BoundedSemaphore::new(1);
    /// s.acquire();
    /// assert_eq!(s.value(), 0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn acquire(&self) {
        self.sem.acquire_for(self, Location::caller());
    }

    /// Takes a permit if one is available now; never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::BoundedSemaphore::new(1);
    /// assert!(s.try_acquire());
    /// assert!(!s.try_acquire());
    /// ```
    #[must_use = "`false` means no permit was taken"]
    #[inline]
    pub fn try_acquire(&self) -> bool {
        self.sem.try_acquire()
    }

    /// Takes a permit, waiting at most `timeout`; returns whether it got
    /// one. `Duration::ZERO` tries once; any duration up to `Duration::MAX`
    /// is accepted.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let s = sync_semaphore::BoundedSemaphore::new(0);
    /// assert!(!s.acquire_timeout(Duration::from_millis(5)));
    /// ```
    #[must_use = "`false` means no permit was taken"]
    #[inline]
    #[track_caller]
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        self.sem.acquire_timeout_for(timeout, self, Location::caller())
    }

    /// Gives back one permit, waking one waiter (Python's `release()`).
    ///
    /// # Errors
    ///
    /// [`SemaphoreReleaseError`] ("Semaphore released too many times") if the value
    /// is already at its initial value; nothing changes then.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::BoundedSemaphore::new(1);
    /// assert!(s.release().is_err());
    /// s.acquire();
    /// assert!(s.release().is_ok());
    /// ```
    #[inline]
    pub fn release(&self) -> Result<(), SemaphoreReleaseError> {
        self.release_n(1)
    }

    /// Gives back `n` permits, waking up to `n` waiters (Python's
    /// `release(n)`); `n == 0` does nothing.
    ///
    /// # Errors
    ///
    /// [`SemaphoreReleaseError`] if the value would pass its initial value; nothing
    /// changes then (no permit is added).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::BoundedSemaphore::new(3);
    /// s.acquire();
    /// s.acquire();
    /// assert!(s.release_n(3).is_err());
    /// assert_eq!(s.value(), 1);
    /// assert!(s.release_n(2).is_ok());
    /// ```
    #[inline]
    pub fn release_n(&self, n: usize) -> Result<(), SemaphoreReleaseError> {
        if n == 0 {
            return Ok(());
        }
        self.sem.add(n, self.initial).map_err(|_| SemaphoreReleaseError(()))
    }

    /// Takes a permit and returns a guard that gives it back when dropped
    /// (Python's `with sem:`).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::BoundedSemaphore::new(1);
    /// {
    ///     let _p = s.permit();
    ///     assert_eq!(s.value(), 0);
    /// }
    /// assert_eq!(s.value(), 1);
    /// ```
    #[inline]
    #[track_caller]
    pub fn permit(&self) -> BoundedSemaphorePermit<'_> {
        self.acquire();
        BoundedSemaphorePermit { sem: self }
    }

    /// A guard for a permit if one is available now.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = sync_semaphore::BoundedSemaphore::new(1);
    /// let _p = s.try_permit().unwrap();
    /// assert!(s.try_permit().is_none());
    /// ```
    #[must_use = "if unused the permit is given back at once"]
    #[inline]
    pub fn try_permit(&self) -> Option<BoundedSemaphorePermit<'_>> {
        // Lazily: a permit made and dropped on `false` would release one.
        self.try_acquire().then(|| BoundedSemaphorePermit { sem: self })
    }

    /// A guard for a permit, waiting at most `timeout` for one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let s = sync_semaphore::BoundedSemaphore::new(1);
    /// assert!(s.try_permit_for(Duration::from_millis(5)).is_some());
    /// ```
    #[must_use = "if unused the permit is given back at once"]
    #[inline]
    #[track_caller]
    pub fn try_permit_for(&self, timeout: Duration) -> Option<BoundedSemaphorePermit<'_>> {
        // Lazily: a permit made and dropped on `false` would release one.
        self.acquire_timeout(timeout).then(|| BoundedSemaphorePermit { sem: self })
    }
}

impl Default for BoundedSemaphore {
    /// A bounded semaphore of one permit, as Python's `BoundedSemaphore()`.
    fn default() -> BoundedSemaphore {
        BoundedSemaphore::new(1)
    }
}

impl fmt::Debug for BoundedSemaphore {
    /// `BoundedSemaphore { value: 1, initial_value: 2 }`; never blocks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundedSemaphore").field("value", &self.value()).field("initial_value", &self.initial).finish()
    }
}

/// A permit of a [`BoundedSemaphore`], given back when dropped (also while
/// unwinding). If the permit was already given back by hand, so that the
/// semaphore is full, the drop adds nothing.
///
/// # Examples
///
/// ```
/// let s = sync_semaphore::BoundedSemaphore::new(1);
/// drop(s.permit());
/// assert_eq!(s.value(), 1);
/// ```
#[must_use = "if unused the permit is given back at once"]
pub struct BoundedSemaphorePermit<'a> {
    sem: &'a BoundedSemaphore,
}

impl Drop for BoundedSemaphorePermit<'_> {
    fn drop(&mut self) {
        // A full semaphore means the permit came back already: nothing to do.
        let _ = self.sem.release();
    }
}

impl fmt::Debug for BoundedSemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundedSemaphorePermit").field("semaphore", self.sem).finish()
    }
}

/// The error of a [`BoundedSemaphore`] released past its initial value
/// (Python's `ValueError("Semaphore released too many times")`).
///
/// # Examples
///
/// ```
/// let s = sync_semaphore::BoundedSemaphore::new(0);
/// let err = s.release().unwrap_err();
/// assert_eq!(err.to_string(), "Semaphore released too many times");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SemaphoreReleaseError(());

impl fmt::Display for SemaphoreReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Semaphore released too many times")
    }
}

impl fmt::Debug for SemaphoreReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SemaphoreReleaseError(\"Semaphore released too many times\")")
    }
}

impl Error for SemaphoreReleaseError {}
