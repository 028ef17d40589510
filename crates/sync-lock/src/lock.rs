//! `Lock`: Python's `threading.Lock`, and its guard.

use crate::raw::holder_bits;
use crate::release_site::ReleaseSite;
use crate::{RawLock, ReleaseError};
use std::fmt;
use std::panic::Location;
use std::time::Duration;
use thread_core::__private::thread_token;
use thread_core::__private::wait::{WaitAs, WaitTarget};
use thread_core::__private::Deadline;
use thread_core::dump::{Holder, Kind, Target};

/// A mutual-exclusion lock, Python's `threading.Lock`: not re-entrant, and
/// any thread may release it.
///
/// The state is one atomic word: an uncontended [`acquire`](Lock::acquire)
/// is one compare-and-swap and [`release`](Lock::release) one swap. A thread
/// that must wait spins briefly, then sleeps in the parking layer; waiters
/// are woken oldest first, and about every half millisecond a release hands
/// the lock directly to the oldest waiter instead of letting it compete, so
/// that threads barging in cannot starve it (the eventual fairness of
/// `parking_lot`'s mutex; a thread barging in within the release's few
/// instructions can pre-empt one such hand-off, which then comes at the
/// next turn).
///
/// There is no poisoning: a panic while a [`LockGuard`] is alive releases
/// the lock and leaves it usable.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use sync_lock::Lock;
///
/// let lock = Arc::new(Lock::new());
/// let l2 = Arc::clone(&lock);
/// let t = std::thread::spawn(move || {
///     let _g = l2.lock();
///     // critical section
/// });
/// {
///     let _g = lock.lock();
///     // critical section
/// }
/// t.join().unwrap();
/// assert!(!lock.locked());
/// ```
#[derive(Default)]
#[repr(C)]
pub struct Lock {
    /// The name given by [`Lock::named`], for the thread dump.
    name: Option<&'static str>,
    /// Where the lock was last released to a waiter, for the profile.
    released_at: ReleaseSite,
    /// Last: the one word an acquisition writes (its state, and the
    /// acquirer's token for the dump) then sits right before the data a
    /// program declares after the lock, usually on the same cache line.
    raw: RawLock,
}

impl fmt::Debug for Lock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Lock");
        if let Some(name) = &self.name {
            d.field("name", name);
        }
        d.field("locked", &self.locked()).finish()
    }
}

impl WaitTarget for Lock {
    fn describe(&self) -> Target {
        let holder = match self.raw.holder() {
            _ if !self.locked() => Holder::Free,
            0 => Holder::Unknown,
            ident => Holder::AcquiredBy { ident: ident as u64 },
        };
        Target::new(Kind::Lock, self as *const Lock as usize, self.name, holder)
    }

    fn label(&self) -> (Kind, Option<&'static str>) {
        (Kind::Lock, self.name)
    }

    fn released_at(&self) -> Option<&'static Location<'static>> {
        self.released_at.get()
    }
}

impl Lock {
    /// A new, unlocked lock (Python's `Lock()`). A `const fn`, so a lock can
    /// be a `static`.
    ///
    /// # Examples
    ///
    /// ```
    /// use sync_lock::Lock;
    /// static LOCK: Lock = Lock::new();
    /// assert!(LOCK.try_acquire());
    /// LOCK.release().unwrap();
    /// ```
    #[cfg(not(loom))]
    #[must_use]
    #[inline]
    pub const fn new() -> Lock {
        Lock { name: None, released_at: ReleaseSite::new(), raw: RawLock::new() }
    }

    /// A new, unlocked lock (loom's atomics have no `const fn new`).
    #[cfg(loom)]
    #[must_use]
    pub fn new() -> Lock {
        Lock { name: None, released_at: ReleaseSite::new(), raw: RawLock::new() }
    }

    /// A new, unlocked lock with a name, which the thread dump shows
    /// (`threading::dump()`). Unnamed locks cost nothing more.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::Lock::named("accounts");
    /// assert_eq!(format!("{lock:?}"), r#"Lock { name: "accounts", locked: false }"#);
    /// ```
    #[must_use]
    pub fn named(name: &'static str) -> Lock {
        Lock { name: Some(name), ..Lock::new() }
    }

    /// The name given by [`Lock::named`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(sync_lock::Lock::named("io").name(), Some("io"));
    /// assert_eq!(sync_lock::Lock::new().name(), None);
    /// ```
    #[must_use]
    pub fn name(&self) -> Option<&'static str> {
        self.name
    }

    /// Blocks until the lock is acquired (Python's `acquire()`).
    ///
    /// A thread that already holds the lock and acquires it again waits
    /// forever (until another thread releases it), as in Python.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::Lock::new();
    /// lock.acquire();
    /// assert!(lock.locked());
    /// lock.release().unwrap();
    /// ```
    #[inline]
    #[track_caller]
    pub fn acquire(&self) {
        self.acquire_as("acquire", Location::caller());
    }

    /// `acquire`, a wait that parks being recorded from `site`.
    #[inline]
    pub(crate) fn acquire_at(&self, site: &'static Location<'static>) {
        self.acquire_as("acquire", site);
    }

    /// `acquire`, a wait that parks being recorded as `op` from `site`.
    #[inline]
    pub(crate) fn acquire_as(&self, op: &'static str, site: &'static Location<'static>) {
        let me = holder_bits(thread_token());
        if !self.raw.try_fast(me) {
            self.acquire_contended(me, op, site);
        }
    }

    /// The slow path of `acquire_as`, apart so that the inlined fast path
    /// stays one compare-and-swap and a call with scalar arguments.
    #[cold]
    #[inline(never)]
    fn acquire_contended(&self, me: usize, op: &'static str, site: &'static Location<'static>) {
        self.raw.acquire_slow(me, Deadline::NEVER, Some(WaitAs::new(self, op, site)));
    }

    /// Acquires the lock if it is free, without blocking (Python's
    /// `acquire(False)`); returns whether it was acquired.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::Lock::new();
    /// assert!(lock.try_acquire());
    /// assert!(!lock.try_acquire());
    /// lock.release().unwrap();
    /// ```
    #[must_use = "`false` means the lock was not taken"]
    #[inline]
    pub fn try_acquire(&self) -> bool {
        self.raw.try_acquire_as(holder_bits(thread_token()))
    }

    /// Blocks until the lock is acquired or `timeout` has passed (Python's
    /// `acquire(timeout=t)`); returns whether it was acquired.
    /// `Duration::ZERO` tries once; `Duration::MAX` waits forever.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let lock = sync_lock::Lock::new();
    /// assert!(lock.acquire_timeout(Duration::from_millis(50)));
    /// assert!(!lock.acquire_timeout(Duration::from_millis(50)));
    /// lock.release().unwrap();
    /// ```
    #[must_use = "`false` means the lock was not taken"]
    #[inline]
    #[track_caller]
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        self.acquire_timeout_at(timeout, Location::caller())
    }

    /// `acquire_timeout`, a wait that parks being recorded from `site`.
    #[inline]
    pub(crate) fn acquire_timeout_at(&self, timeout: Duration, site: &'static Location<'static>) -> bool {
        self.raw.acquire_timeout_as(holder_bits(thread_token()), timeout, Some(WaitAs::new(self, "acquire", site)))
    }

    /// Releases the lock (Python's `release()`). Any thread may release it,
    /// not only the one that acquired it. If threads are waiting, the oldest
    /// is woken.
    ///
    /// # Errors
    ///
    /// [`ReleaseError::Unlocked`] ("release unlocked lock") if the lock was
    /// not locked; it stays unlocked (a parked waiter may be woken to
    /// compete for it, which it would have been anyway).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::Lock::new();
    /// lock.acquire();
    /// // Another thread may release it.
    /// std::thread::scope(|s| {
    ///     s.spawn(|| lock.release().unwrap());
    /// });
    /// assert_eq!(lock.release().unwrap_err().to_string(), "release unlocked lock");
    /// ```
    #[inline]
    #[track_caller]
    pub fn release(&self) -> Result<(), ReleaseError> {
        self.release_at(Location::caller())
    }

    /// `release`, noted for the profile as called from `site`.
    #[inline]
    pub(crate) fn release_at(&self, site: &'static Location<'static>) -> Result<(), ReleaseError> {
        if self.raw.release_noting(|| self.released_at.note(site)) {
            Ok(())
        } else {
            Err(ReleaseError::Unlocked)
        }
    }

    /// Whether the lock is held by some thread (Python's `locked()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::Lock::new();
    /// assert!(!lock.locked());
    /// let _g = lock.lock();
    /// assert!(lock.locked());
    /// ```
    #[inline]
    pub fn locked(&self) -> bool {
        self.raw.is_locked()
    }

    /// Acquires the lock and returns a guard that releases it when dropped
    /// (Python's `with lock:`).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::Lock::new();
    /// {
    ///     let _g = lock.lock();
    ///     assert!(lock.locked());
    /// }
    /// assert!(!lock.locked());
    /// ```
    #[inline]
    #[track_caller]
    pub fn lock(&self) -> LockGuard<'_> {
        self.acquire();
        LockGuard { lock: self, site: Location::caller() }
    }

    /// Acquires the lock if it is free and returns its guard; `None` if it
    /// is held.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::Lock::new();
    /// let g = lock.try_lock();
    /// assert!(g.is_some());
    /// assert!(lock.try_lock().is_none());
    /// ```
    #[must_use = "if unused the lock is released at once"]
    #[inline]
    #[track_caller]
    pub fn try_lock(&self) -> Option<LockGuard<'_>> {
        self.try_acquire().then(|| LockGuard { lock: self, site: Location::caller() })
    }

    /// Acquires the lock within `timeout` and returns its guard; `None` if
    /// the time ran out.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let lock = sync_lock::Lock::new();
    /// let g = lock.try_lock_for(Duration::from_millis(20));
    /// assert!(g.is_some());
    /// assert!(lock.try_lock_for(Duration::from_millis(20)).is_none());
    /// ```
    #[must_use = "if unused the lock is released at once"]
    #[inline]
    #[track_caller]
    pub fn try_lock_for(&self, timeout: Duration) -> Option<LockGuard<'_>> {
        self.acquire_timeout(timeout).then(|| LockGuard { lock: self, site: Location::caller() })
    }

    /// The raw lock under this one (for [`ConditionLock`](crate::ConditionLock)).
    #[inline]
    pub(crate) fn raw(&self) -> &RawLock {
        &self.raw
    }
}

/// Holds a [`Lock`] and releases it when dropped, also while unwinding from
/// a panic. Made by [`Lock::lock`], [`Lock::try_lock`] and
/// [`Lock::try_lock_for`].
///
/// If another thread releases the lock while the guard is alive (Python
/// allows that), the guard's drop finds it unlocked and does nothing.
///
/// # Examples
///
/// ```
/// let lock = sync_lock::Lock::new();
/// let g = lock.lock();
/// drop(g);
/// assert!(!lock.locked());
/// ```
#[must_use = "if unused the lock is released at once"]
pub struct LockGuard<'a> {
    lock: &'a Lock,
    /// Where the guard was made: its release's site in the profile.
    site: &'static Location<'static>,
}

impl LockGuard<'_> {
    /// The lock this guard holds.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::Lock::new();
    /// let g = lock.lock();
    /// assert!(std::ptr::eq(g.lock(), &lock));
    /// ```
    #[inline]
    pub fn lock(&self) -> &Lock {
        self.lock
    }
}

impl Drop for LockGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        // An `Err` means another thread released it meanwhile, which Python
        // allows; there is nothing left to undo.
        let _ = self.lock.release_at(self.site);
    }
}

impl fmt::Debug for LockGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockGuard").field("lock", self.lock).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    //! What the thread dump and the profile read from a `Lock`.
    use super::*;
    use thread_core::__private::wait::WaitTarget;

    #[test]
    fn a_name_is_kept_and_shown() {
        let lock = Lock::named("accounts");
        assert_eq!(lock.name(), Some("accounts"));
        assert_eq!(Lock::new().name(), None);
        let t = lock.describe();
        assert_eq!((t.kind, t.name.as_deref()), (Kind::Lock, Some("accounts")));
        assert_eq!(t.address, &lock as *const Lock as usize);
        assert_eq!(lock.label(), (Kind::Lock, Some("accounts")));
        assert_eq!(Lock::new().label(), (Kind::Lock, None));
    }

    #[test]
    fn the_holder_is_the_last_thread_that_acquired_a_held_lock() {
        let lock = Lock::new();
        assert_eq!(lock.describe().holder, Holder::Free);
        let me = thread_token() as u64;
        let takes: [&dyn Fn(&Lock); 4] = [
            &|l| l.acquire(),
            &|l| assert!(l.try_acquire()),
            &|l| assert!(l.acquire_timeout(Duration::from_secs(60))),
            &|l| std::mem::forget(l.lock()),
        ];
        for take in takes {
            // Another thread took it last; now this one does.
            std::thread::scope(|s| {
                s.spawn(|| {
                    lock.acquire();
                    assert_ne!(lock.describe().holder, Holder::AcquiredBy { ident: me });
                    lock.release().unwrap();
                });
            });
            take(&lock);
            assert_eq!(lock.describe().holder, Holder::AcquiredBy { ident: me });
            lock.release().unwrap();
            assert_eq!(lock.describe().holder, Holder::Free);
        }
    }

    #[test]
    fn a_lock_held_before_any_noted_acquire_has_an_unknown_holder() {
        let lock = Lock::new();
        assert!(lock.raw().try_acquire());
        assert_eq!(lock.describe().holder, Holder::Unknown);
        lock.release().unwrap();
    }

    #[test]
    fn a_release_of_a_free_lock_with_a_stale_parked_bit_is_an_error() {
        let lock = Lock::new();
        // PARKED set with nobody parked and the lock free (a condition moved
        // no waiter after all): still "release unlocked lock".
        lock.raw().mark_parked();
        assert_eq!(lock.release(), Err(ReleaseError::Unlocked));
        assert!(!lock.locked());
        assert!(lock.try_acquire());
        lock.release().unwrap();
        assert_eq!(lock.release(), Err(ReleaseError::Unlocked));
    }

    #[test]
    fn a_waiter_parked_for_over_a_millisecond_is_handed_the_lock() {
        // The parking layer asks a release to be fair once its bucket's
        // fairness timer (at most a millisecond) has run out; a release
        // then leaves the lock locked for the woken waiter, so the
        // releaser cannot take it straight back. A waiter not yet asleep
        // when the release comes (a loaded machine) sees no hand-off:
        // tried a few times, at least one must be one.
        let lock = Lock::new();
        let handed_over = (0..5).any(|_| {
            lock.acquire();
            std::thread::scope(|s| {
                let waiter = s.spawn(|| {
                    lock.acquire();
                    // Handed over or not, the dump names the waiter now.
                    let me = thread_token() as u64;
                    assert_eq!(lock.describe().holder, Holder::AcquiredBy { ident: me });
                    // Held a while: a handed-over lock is still the
                    // waiter's when the releaser tries to take it back.
                    std::thread::sleep(Duration::from_millis(20));
                    lock.release().unwrap();
                });
                while !lock.raw().is_locked_with_waiters() {
                    std::thread::yield_now();
                }
                std::thread::sleep(Duration::from_millis(50));
                lock.release().unwrap();
                let barged = lock.try_acquire();
                if barged {
                    lock.release().unwrap();
                }
                waiter.join().unwrap();
                !barged
            })
        });
        assert!(handed_over, "no release handed the lock to a waiter parked for 50 ms");
    }
}
