//! `RLock`: Python's `threading.RLock`, and its guard.

use crate::release_site::ReleaseSite;
use crate::{RawLock, ReleaseError};
use std::fmt;
use std::marker::PhantomData;
use std::panic::Location;
use std::time::Duration;
use thread_core::__private::atomic::{AtomicUsize, Ordering};
use thread_core::__private::cell::UnsafeCell;
use thread_core::__private::thread_token;
use thread_core::__private::wait::{WaitAs, WaitTarget};
use thread_core::__private::Deadline;
use thread_core::dump::{Holder, Kind, Target};

/// No thread owns the lock.
const NO_OWNER: usize = 0;

/// A re-entrant lock, Python's `threading.RLock`: the thread that owns it
/// may acquire it again, and must release it as many times as it acquired
/// it before other threads can take it.
///
/// Built on [`RawLock`] (one atomic word) plus an owner word and a count:
/// a nested acquire by the owner touches no shared cache line that other
/// threads write. The owner is the calling thread's
/// `thread_token` (the address of a thread-local), correct for threads
/// this library did not create too. A thread that exits while owning the
/// lock leaves it locked forever, as in Python.
///
/// No poisoning: a panic while an [`RLockGuard`] is alive releases that
/// level and the lock stays usable.
///
/// `Debug` shows `locked`, `owned` and `count`, the levels the *calling*
/// thread holds (0 when another thread owns it: its count is that thread's
/// alone and is not read from elsewhere).
///
/// # Examples
///
/// ```
/// use sync_lock::RLock;
///
/// let lock = RLock::new();
/// assert!(lock.try_acquire());
/// assert!(lock.try_acquire()); // the owner re-enters
/// lock.release().unwrap();
/// assert!(lock.locked());
/// lock.release().unwrap();
/// assert!(!lock.locked());
/// assert!(lock.release().is_err());
/// ```
#[derive(Default)]
pub struct RLock {
    raw: RawLock,
    /// The owner's `thread_token`, or `NO_OWNER`. Written only by the thread
    /// that holds `raw` (set after acquiring, cleared before releasing), so a
    /// thread reads its own token here only if it stored it itself:
    /// `Relaxed` is enough (the hand-over of `raw` orders the writes).
    owner: AtomicUsize,
    /// How many times the owner holds the lock. Read and written only by
    /// the owner, so a plain cell: the hand-over of `raw` (Release, then
    /// Acquire) orders one owner's accesses before the next owner's. Plain
    /// rather than atomic so that the compiler may fold a nested
    /// acquire + release into nothing, as it does for `parking_lot`'s
    /// `ReentrantMutex` (the book's performance chapter has the figures).
    count: UnsafeCell<usize>,
    /// The name given by [`RLock::named`], for the thread dump.
    name: Option<&'static str>,
    /// Where the lock was last released to a waiter, for the profile.
    released_at: ReleaseSite,
}

impl WaitTarget for RLock {
    fn describe(&self) -> Target {
        // Relaxed: a snapshot for the dump. The owner word is the owner's
        // ident (`thread_token`). The count is the owner's plain cell, which
        // no other thread may read: it is not shown.
        let holder = match self.owner.load(Ordering::Relaxed) {
            NO_OWNER if !self.locked() => Holder::Free,
            NO_OWNER => Holder::Unknown,
            ident => Holder::Owner { ident: ident as u64 },
        };
        Target::new(Kind::RLock, self as *const RLock as usize, self.name, holder)
    }

    fn label(&self) -> (Kind, Option<&'static str>) {
        (Kind::RLock, self.name)
    }

    fn released_at(&self) -> Option<&'static Location<'static>> {
        self.released_at.get()
    }
}

// SAFETY: `count` is only touched by the thread that holds `raw` and has
// stored its token in `owner` (see the field); everything else is atomic.
unsafe impl Sync for RLock {}

impl fmt::Debug for RLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RLock")
            .field("locked", &self.locked())
            // Another thread's count cannot be read without racing its
            // writes: this is the calling thread's (0 unless it owns it).
            .field("count", &self.owned_count())
            .field("owned", &self.is_owned())
            .finish()
    }
}

/// A new, unowned `RLock`: the body of both `new`s (`const` or loom's).
macro_rules! unlocked {
    () => {
        RLock {
            raw: RawLock::new(),
            owner: AtomicUsize::new(NO_OWNER),
            count: UnsafeCell::new(0),
            name: None,
            released_at: ReleaseSite::new(),
        }
    };
}

impl RLock {
    /// A new, unlocked re-entrant lock (Python's `RLock()`); a `const fn`.
    ///
    /// # Examples
    ///
    /// ```
    /// use sync_lock::RLock;
    /// static LOCK: RLock = RLock::new();
    /// let _g = LOCK.lock();
    /// let _g2 = LOCK.lock();
    /// ```
    #[cfg(not(loom))]
    #[must_use]
    #[inline]
    pub const fn new() -> RLock {
        unlocked!()
    }

    /// A new, unlocked re-entrant lock (loom's atomics have no `const fn`).
    #[cfg(loom)]
    #[must_use]
    pub fn new() -> RLock {
        unlocked!()
    }

    /// A new, unowned re-entrant lock with a name, which the thread dump
    /// shows (`threading::dump()`). Unnamed locks cost nothing more.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::RLock::named("registry");
    /// assert_eq!(lock.name(), Some("registry"));
    /// ```
    #[must_use]
    pub fn named(name: &'static str) -> RLock {
        RLock { name: Some(name), ..RLock::new() }
    }

    /// The name given by [`RLock::named`].
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(sync_lock::RLock::new().name(), None);
    /// ```
    #[must_use]
    pub fn name(&self) -> Option<&'static str> {
        self.name
    }

    /// If the caller owns the lock, counts one more level and returns true.
    #[inline]
    fn reenter(&self, me: usize) -> bool {
        if self.owner.load(Ordering::Relaxed) != me {
            return false;
        }
        // SAFETY: the caller owns the lock, so no other thread touches `count`.
        self.count.with_mut(|c| unsafe { *c = (*c).checked_add(1).expect("RLock recursion count overflowed") });
        true
    }

    #[inline]
    pub(crate) fn take(&self, me: usize, count: usize) {
        self.owner.store(me, Ordering::Relaxed);
        // SAFETY: the caller has just acquired `raw`: it owns the lock.
        self.count.with_mut(|c| unsafe { *c = count });
    }

    /// Blocks until the calling thread owns the lock (Python's `acquire()`);
    /// if it owns it already, counts one more level at once.
    ///
    /// # Panics
    ///
    /// If the count would overflow `usize`.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::RLock::new();
    /// lock.acquire();
    /// lock.acquire();
    /// lock.release().unwrap();
    /// lock.release().unwrap();
    /// ```
    #[inline]
    #[track_caller]
    pub fn acquire(&self) {
        self.acquire_as(thread_token(), "acquire", Location::caller());
    }

    /// `acquire`, a wait that parks being recorded from `site`.
    #[inline]
    pub(crate) fn acquire_at(&self, site: &'static Location<'static>) {
        self.acquire_as(thread_token(), "acquire", site);
    }

    /// `acquire` for the thread whose token is `me`, a wait that parks
    /// being recorded as `op` from `site`.
    #[inline]
    pub(crate) fn acquire_as(&self, me: usize, op: &'static str, site: &'static Location<'static>) {
        if !self.reenter(me) {
            self.acquire_raw(op, site);
            self.take(me, 1);
        }
    }

    /// Acquires the raw lock (not re-entrant), recording a wait as `op`.
    #[inline]
    pub(crate) fn acquire_raw(&self, op: &'static str, site: &'static Location<'static>) {
        // Holder 0: an RLock names its owner in `owner`.
        if !self.raw.try_fast(0) {
            self.raw.acquire_slow(0, Deadline::NEVER, Some(WaitAs::new(self, op, site)));
        }
    }

    /// Acquires the lock if it is free or already the caller's, without
    /// blocking (Python's `acquire(False)`); returns whether it did.
    ///
    /// # Panics
    ///
    /// If the count would overflow `usize`.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::RLock::new();
    /// assert!(lock.try_acquire());
    /// assert!(lock.try_acquire());
    /// std::thread::scope(|s| {
    ///     s.spawn(|| assert!(!lock.try_acquire()));
    /// });
    /// # lock.release().unwrap(); lock.release().unwrap();
    /// ```
    #[must_use = "`false` means the lock was not taken"]
    #[inline]
    pub fn try_acquire(&self) -> bool {
        self.try_acquire_as(thread_token())
    }

    #[inline]
    fn try_acquire_as(&self, me: usize) -> bool {
        if self.reenter(me) {
            return true;
        }
        if self.raw.try_acquire() {
            self.take(me, 1);
            true
        } else {
            false
        }
    }

    /// Like [`acquire`](Self::acquire) but gives up after `timeout`
    /// (Python's `acquire(timeout=t)`); returns whether it acquired.
    /// `Duration::ZERO` tries once; `Duration::MAX` waits forever.
    ///
    /// # Panics
    ///
    /// If the count would overflow `usize`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let lock = sync_lock::RLock::new();
    /// assert!(lock.acquire_timeout(Duration::from_millis(10)));
    /// std::thread::scope(|s| {
    ///     s.spawn(|| assert!(!lock.acquire_timeout(Duration::from_millis(10))));
    /// });
    /// # lock.release().unwrap();
    /// ```
    #[must_use = "`false` means the lock was not taken"]
    #[inline]
    #[track_caller]
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        self.acquire_timeout_as(thread_token(), timeout, Location::caller())
    }

    /// `acquire_timeout`, a wait that parks being recorded from `site`.
    #[inline]
    pub(crate) fn acquire_timeout_at(&self, timeout: Duration, site: &'static Location<'static>) -> bool {
        self.acquire_timeout_as(thread_token(), timeout, site)
    }

    /// `acquire_timeout` for the thread whose token is `me`.
    #[inline]
    pub(crate) fn acquire_timeout_as(&self, me: usize, timeout: Duration, site: &'static Location<'static>) -> bool {
        if self.reenter(me) {
            return true;
        }
        if self.raw.acquire_timeout_as(0, timeout, Some(WaitAs::new(self, "acquire", site))) {
            self.take(me, 1);
            true
        } else {
            false
        }
    }

    /// Releases one level (Python's `release()`); the lock is free again
    /// once the owner has released as many times as it acquired.
    ///
    /// # Errors
    ///
    /// [`ReleaseError::NotOwned`] ("cannot release un-acquired lock") if the
    /// calling thread does not own the lock; nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::RLock::new();
    /// lock.acquire();
    /// std::thread::scope(|s| {
    ///     s.spawn(|| assert!(lock.release().is_err()));
    /// });
    /// lock.release().unwrap();
    /// ```
    #[inline]
    #[track_caller]
    pub fn release(&self) -> Result<(), ReleaseError> {
        self.release_at(Location::caller())
    }

    /// `release`, noted for the profile as called from `site`.
    #[inline]
    pub(crate) fn release_at(&self, site: &'static Location<'static>) -> Result<(), ReleaseError> {
        if self.owner.load(Ordering::Relaxed) != thread_token() {
            return Err(ReleaseError::NotOwned);
        }
        self.release_owned(site);
        Ok(())
    }

    /// Releases one level; the caller owns the lock.
    #[inline]
    fn release_owned(&self, site: &'static Location<'static>) {
        // SAFETY: the caller owns the lock.
        let n = self.count.with_mut(|c| unsafe {
            *c -= 1;
            *c
        });
        if n == 0 {
            self.owner.store(NO_OWNER, Ordering::Relaxed);
            let released = self.raw.release_noting(|| self.released_at.note(site));
            debug_assert!(released, "an owned RLock is locked");
        }
    }

    /// Whether some thread owns the lock (Python 3.14's `locked()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::RLock::new();
    /// assert!(!lock.locked());
    /// let _g = lock.lock();
    /// assert!(lock.locked());
    /// ```
    #[inline]
    pub fn locked(&self) -> bool {
        self.raw.is_locked()
    }

    /// Whether the calling thread owns the lock (Python's `_is_owned()`).
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::RLock::new();
    /// let _g = lock.lock();
    /// assert!(lock.is_owned());
    /// std::thread::scope(|s| {
    ///     s.spawn(|| assert!(!lock.is_owned()));
    /// });
    /// ```
    #[inline]
    pub fn is_owned(&self) -> bool {
        self.owner.load(Ordering::Relaxed) == thread_token()
    }

    /// Acquires one level and returns a guard that releases it when dropped
    /// (Python's `with rlock:`).
    ///
    /// # Panics
    ///
    /// If the count would overflow `usize`.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::RLock::new();
    /// let outer = lock.lock();
    /// {
    ///     let _inner = lock.lock();
    /// }
    /// assert!(lock.is_owned());
    /// drop(outer);
    /// assert!(!lock.locked());
    /// ```
    #[inline]
    #[track_caller]
    pub fn lock(&self) -> RLockGuard<'_> {
        let me = thread_token();
        self.acquire_as(me, "acquire", Location::caller());
        RLockGuard { lock: self, site: Location::caller(), _not_send: PhantomData }
    }

    /// [`try_acquire`](Self::try_acquire) with a guard.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::RLock::new();
    /// let _g = lock.try_lock().unwrap();
    /// assert!(lock.try_lock().is_some()); // re-entered
    /// ```
    #[must_use = "if unused the lock is released at once"]
    #[inline]
    #[track_caller]
    pub fn try_lock(&self) -> Option<RLockGuard<'_>> {
        let me = thread_token();
        self.try_acquire_as(me).then(|| RLockGuard { lock: self, site: Location::caller(), _not_send: PhantomData })
    }

    /// [`acquire_timeout`](Self::acquire_timeout) with a guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let lock = sync_lock::RLock::new();
    /// assert!(lock.try_lock_for(Duration::from_millis(10)).is_some());
    /// ```
    #[must_use = "if unused the lock is released at once"]
    #[inline]
    #[track_caller]
    pub fn try_lock_for(&self, timeout: Duration) -> Option<RLockGuard<'_>> {
        let me = thread_token();
        self.acquire_timeout_as(me, timeout, Location::caller()).then(|| RLockGuard {
            lock: self,
            site: Location::caller(),
            _not_send: PhantomData,
        })
    }

    /// The raw lock under this one (for [`ConditionLock`](crate::ConditionLock)).
    /// Only the owner may release it, and only through this type.
    #[inline]
    pub(crate) fn raw(&self) -> &RawLock {
        &self.raw
    }

    /// How many levels the calling thread holds (0 if it is not the owner).
    #[inline]
    fn owned_count(&self) -> usize {
        if self.is_owned() {
            // SAFETY: the calling thread owns the lock.
            self.count.with(|c| unsafe { *c })
        } else {
            0
        }
    }

    /// Releases every level the calling thread (the owner) holds, for a
    /// condition's wait (Python's `_release_save`); returns how many there
    /// were, for [`take`](Self::take) after the wait.
    ///
    /// # Panics
    ///
    /// If the calling thread does not own the lock.
    #[inline]
    pub(crate) fn release_all_for_wait(&self, site: &'static Location<'static>) -> usize {
        assert!(self.is_owned(), "release_all_for_wait: the calling thread does not own the RLock");
        // SAFETY: the calling thread owns the lock (checked above).
        let count = self.count.with_mut(|c| unsafe { std::mem::replace(&mut *c, 0) });
        self.owner.store(NO_OWNER, Ordering::Relaxed);
        let released = self.raw.release_noting(|| self.released_at.note(site));
        debug_assert!(released, "an owned RLock is locked");
        count
    }
}

/// Holds one level of an [`RLock`] and releases it when dropped, also while
/// unwinding. Not `Send`: only the owning thread may release an `RLock`.
///
/// # Examples
///
/// ```
/// let lock = sync_lock::RLock::new();
/// let g = lock.lock();
/// assert!(lock.is_owned());
/// drop(g);
/// assert!(!lock.is_owned());
/// ```
#[must_use = "if unused the lock is released at once"]
pub struct RLockGuard<'a> {
    lock: &'a RLock,
    /// Where the guard was made: its release's site in the profile.
    site: &'static Location<'static>,
    _not_send: PhantomData<*const ()>,
}

impl RLockGuard<'_> {
    /// The lock this guard holds.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = sync_lock::RLock::new();
    /// let g = lock.lock();
    /// assert!(std::ptr::eq(g.lock(), &lock));
    /// ```
    #[inline]
    pub fn lock(&self) -> &RLock {
        self.lock
    }
}

impl Drop for RLockGuard<'_> {
    #[inline]
    fn drop(&mut self) {
        // The guard is not `Send`: the dropping thread is the one that
        // acquired this level, so it owns the lock, unless it
        // released more levels by hand than it acquired; then there is
        // nothing to undo.
        if self.lock.is_owned() {
            self.lock.release_owned(self.site);
        }
    }
}

impl fmt::Debug for RLockGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RLockGuard").field("lock", self.lock).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    //! What the thread dump and the profile read from an `RLock`.
    use super::*;

    #[test]
    fn a_name_is_kept_and_shown() {
        let lock = RLock::named("registry");
        assert_eq!(lock.name(), Some("registry"));
        assert_eq!(RLock::new().name(), None);
        let t = lock.describe();
        assert_eq!((t.kind, t.name.as_deref()), (Kind::RLock, Some("registry")));
        assert_eq!(t.address, &lock as *const RLock as usize);
        assert_eq!(lock.label(), (Kind::RLock, Some("registry")));
        assert_eq!(RLock::new().label(), (Kind::RLock, None));
    }

    #[test]
    fn the_holder_is_the_owner() {
        let lock = RLock::new();
        assert_eq!(lock.describe().holder, Holder::Free);
        lock.acquire();
        lock.acquire();
        let me = thread_token() as u64;
        assert_eq!(lock.describe().holder, Holder::Owner { ident: me });
        std::thread::scope(|s| {
            s.spawn(|| assert_eq!(lock.describe().holder, Holder::Owner { ident: me }));
        });
        lock.release().unwrap();
        assert_eq!(lock.describe().holder, Holder::Owner { ident: me });
        lock.release().unwrap();
        assert_eq!(lock.describe().holder, Holder::Free);
    }

    #[test]
    fn a_raw_lock_taken_before_its_owner_is_noted_has_an_unknown_holder() {
        let lock = RLock::new();
        assert!(lock.raw().try_acquire());
        assert_eq!(lock.describe().holder, Holder::Unknown);
        assert!(lock.raw().release());
    }
}
