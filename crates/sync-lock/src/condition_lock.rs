//! [`ConditionLock`]: what a `Condition` (the `sync-condition` crate) needs
//! from the lock it waits with, as one sealed trait.
//!
//! A condition's wait lets its lock go once it is queued, and takes it
//! again after it is notified; `notify_all` moves its waiters onto the
//! lock's own queue (so that each release wakes one, instead of all of them
//! waking to fight for the lock), which needs the lock's queue key and its
//! `PARKED` bit. Those are the lock's internals: the trait is sealed (only
//! this crate implements it, for [`Lock`] and [`RLock`]), and the methods
//! that could break the lock's invariants are `unsafe` with their contract.

use crate::raw::{holder_bits, TOKEN_HANDOFF};
use crate::{Lock, RLock, ReleaseError};
use std::fmt;
use std::panic::Location;
use std::time::Duration;
use thread_core::__private::thread_token;
use thread_core::__private::wait::WaitTarget;

/// The operation the thread dump shows for a condition's waiter taking its
/// lock again after a notify (or a timeout).
const REACQUIRE: &str = "wait (re-acquire)";

mod sealed {
    pub trait Sealed {}
}

/// A lock a `Condition` can wait with: [`Lock`] or [`RLock`]. Sealed: no
/// type outside this crate can implement it. Programs use a condition's own
/// methods rather than these.
///
/// # Examples
///
/// ```
/// use sync_lock::{ConditionLock, Lock, RLock};
///
/// fn held(lock: &dyn ConditionLock) -> bool {
///     lock.is_held()
/// }
/// let l = Lock::new();
/// l.acquire();
/// assert!(held(&l));
/// let r = RLock::new();
/// assert!(!held(&r));
/// # l.release().unwrap();
/// ```
pub trait ConditionLock: sealed::Sealed + WaitTarget + fmt::Debug + Send + Sync {
    /// Blocks until the lock is acquired (one level, for an `RLock`); a
    /// wait is shown in the thread dump as called from `site`.
    fn acquire(&self, site: &'static Location<'static>);

    /// Acquires the lock if that needs no wait.
    fn try_acquire(&self) -> bool;

    /// Blocks at most `timeout` for the lock; returns whether it got it. A
    /// wait is shown in the thread dump as called from `site`.
    fn acquire_timeout(&self, timeout: Duration, site: &'static Location<'static>) -> bool;

    /// Releases the lock (one level, for an `RLock`); the contention
    /// profile charges a waiter it wakes to `site`.
    ///
    /// # Errors
    ///
    /// As the lock's own `release`.
    fn release(&self, site: &'static Location<'static>) -> Result<(), ReleaseError>;

    /// Whether the calling thread may wait on or notify a condition with
    /// this lock, as Python checks it: an `RLock` must be owned by the
    /// calling thread; a `Lock`, which has no owner, must be held.
    fn is_held(&self) -> bool;

    /// Lets the lock go for a condition's wait (every level of an `RLock`,
    /// Python's `_release_save`; a waiter it wakes is charged to `site` in
    /// the contention profile) and returns what
    /// [`restore_after_wait`](Self::restore_after_wait) needs.
    ///
    /// # Safety
    ///
    /// The calling thread must have checked [`is_held`](Self::is_held) and
    /// must call `restore_after_wait` with the value returned before it uses
    /// the lock again.
    unsafe fn release_for_wait(&self, site: &'static Location<'static>) -> usize;

    /// Takes the lock again after a condition's wait (Python's
    /// `_acquire_restore`), blocking for it unless `handed_off`; a wait is
    /// shown in the thread dump as `wait (re-acquire)` from `site`.
    ///
    /// # Safety
    ///
    /// `saved` must come from this thread's `release_for_wait` on this
    /// lock, and `handed_off` be true only if [`is_handoff`](Self::is_handoff)
    /// said so of the token this thread was woken with: the lock is then
    /// already its own.
    unsafe fn restore_after_wait(&self, saved: usize, handed_off: bool, site: &'static Location<'static>);

    /// The key of the lock's wait queue, onto which a condition moves its
    /// waiters.
    fn queue_key(&self) -> usize;

    /// If the lock is held, marks it as having waiters parked (a condition
    /// is about to move its waiters onto its queue) and returns true;
    /// returns false if it is free.
    fn mark_waiters_if_locked(&self) -> bool;

    /// Marks the lock as having waiters parked (after a condition moved
    /// waiters onto its queue while it was free).
    fn mark_waiters(&self);

    /// Whether the lock is held with waiters marked: a requeued waiter
    /// spinning before it sleeps stops when this turns false.
    fn is_locked_with_waiters(&self) -> bool;

    /// Whether a thread woken with the token `token` (the value the wait
    /// path handed it) was handed the lock — it owns it now — rather than
    /// asked to compete for it.
    fn is_handoff(&self, token: usize) -> bool {
        token == TOKEN_HANDOFF.0
    }
}

/// What both locks implement alike: the lock operations (their inherent
/// methods) and the raw-lock half.
macro_rules! common {
    ($lock:ident) => {
        fn acquire(&self, site: &'static Location<'static>) {
            self.acquire_at(site)
        }

        fn try_acquire(&self) -> bool {
            $lock::try_acquire(self)
        }

        fn acquire_timeout(&self, timeout: Duration, site: &'static Location<'static>) -> bool {
            self.acquire_timeout_at(timeout, site)
        }

        fn release(&self, site: &'static Location<'static>) -> Result<(), ReleaseError> {
            self.release_at(site)
        }

        fn queue_key(&self) -> usize {
            self.raw().queue_key()
        }

        fn mark_waiters_if_locked(&self) -> bool {
            self.raw().mark_parked_if_locked()
        }

        fn mark_waiters(&self) {
            self.raw().mark_parked()
        }

        fn is_locked_with_waiters(&self) -> bool {
            self.raw().is_locked_with_waiters()
        }
    };
}

impl sealed::Sealed for Lock {}
impl sealed::Sealed for RLock {}

impl ConditionLock for Lock {
    common!(Lock);

    fn is_held(&self) -> bool {
        self.locked()
    }

    unsafe fn release_for_wait(&self, site: &'static Location<'static>) -> usize {
        // Python lets a thread that does not hold a plain lock wait on it
        // while another holds it; if that holder released it meanwhile
        // there is nothing to release.
        let _ = self.release_at(site);
        0
    }

    unsafe fn restore_after_wait(&self, _saved: usize, handed_off: bool, site: &'static Location<'static>) {
        if handed_off {
            // Handed over with no holder named: name this thread.
            self.raw().note_handed_over(holder_bits(thread_token()));
        } else {
            self.acquire_as(REACQUIRE, site);
        }
    }
}

impl ConditionLock for RLock {
    common!(RLock);

    fn is_held(&self) -> bool {
        self.is_owned()
    }

    unsafe fn release_for_wait(&self, site: &'static Location<'static>) -> usize {
        self.release_all_for_wait(site)
    }

    unsafe fn restore_after_wait(&self, saved: usize, handed_off: bool, site: &'static Location<'static>) {
        if !handed_off {
            self.acquire_raw(REACQUIRE, site);
        }
        // The calling thread holds the raw lock (handed over, or acquired
        // just now): it is the owner.
        self.take(thread_token(), saved);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    //! The trait as a `Condition` uses it, on both locks: each method's
    //! effect on the lock, seen through the lock's own API.
    use super::*;
    use crate::raw::TOKEN_NORMAL;
    use crate::RawLock;
    use std::time::Duration;

    fn here() -> &'static Location<'static> {
        Location::caller()
    }

    #[test]
    fn only_the_handoff_token_says_handed_off() {
        for lock in [&Lock::new() as &dyn ConditionLock, &RLock::new()] {
            assert!(lock.is_handoff(TOKEN_HANDOFF.0));
            assert!(!lock.is_handoff(TOKEN_NORMAL.0));
        }
    }

    #[test]
    fn a_lock_is_held_when_locked_by_any_thread() {
        let lock = Lock::new();
        assert!(!ConditionLock::is_held(&lock));
        lock.acquire();
        assert!(ConditionLock::is_held(&lock));
        // A plain lock has no owner: held for every thread.
        std::thread::scope(|s| {
            assert!(s.spawn(|| ConditionLock::is_held(&lock)).join().unwrap());
        });
        lock.release().unwrap();
        assert!(!ConditionLock::is_held(&lock));
    }

    #[test]
    fn an_rlock_is_held_only_by_its_owner() {
        let lock = RLock::new();
        assert!(!ConditionLock::is_held(&lock));
        lock.acquire();
        assert!(ConditionLock::is_held(&lock));
        std::thread::scope(|s| {
            assert!(!s.spawn(|| ConditionLock::is_held(&lock)).join().unwrap());
        });
        lock.release().unwrap();
        assert!(!ConditionLock::is_held(&lock));
    }

    #[test]
    fn the_lock_operations_are_the_locks_own() {
        for lock in [&Lock::new() as &dyn ConditionLock, &RLock::new()] {
            assert!(lock.try_acquire());
            lock.release(here()).unwrap();
            assert!(lock.acquire_timeout(Duration::from_secs(60), here()));
            lock.release(here()).unwrap();
            lock.acquire(here());
            std::thread::scope(|s| {
                let other = s.spawn(|| (lock.try_acquire(), lock.acquire_timeout(Duration::from_millis(20), here())));
                assert_eq!(other.join().unwrap(), (false, false));
            });
            lock.release(here()).unwrap();
            assert!(lock.release(here()).is_err());
        }
    }

    #[test]
    fn release_for_wait_frees_every_level_and_restore_takes_them_back() {
        let lock = RLock::new();
        for _ in 0..3 {
            lock.acquire();
        }
        // SAFETY: the lock is held (checked), and restored below before use.
        let saved = unsafe {
            assert!(ConditionLock::is_held(&lock));
            lock.release_for_wait(here())
        };
        assert_eq!(saved, 3);
        assert!(!lock.locked());
        std::thread::scope(|s| {
            s.spawn(|| {
                assert!(lock.try_acquire());
                lock.release().unwrap();
            });
        });
        // SAFETY: `saved` came from this thread's release_for_wait; not
        // handed off, so the restore takes the lock itself.
        unsafe { lock.restore_after_wait(saved, false, here()) };
        assert!(lock.is_owned());
        for _ in 0..3 {
            lock.release().unwrap();
        }
        assert!(lock.release().is_err());
    }

    #[test]
    fn a_restore_after_a_handoff_takes_nothing_more() {
        // The lock was handed over: it is already held for this thread.
        let lock = Lock::new();
        lock.acquire();
        // SAFETY: held; restored at once.
        unsafe {
            let saved = lock.release_for_wait(here());
            assert!(!lock.locked());
            lock.acquire();
            lock.restore_after_wait(saved, true, here());
        }
        assert!(lock.locked());
        lock.release().unwrap();
        assert!(!lock.locked());

        let rlock = RLock::new();
        rlock.acquire();
        rlock.acquire();
        // SAFETY: owned; restored at once.
        unsafe {
            let saved = rlock.release_for_wait(here());
            assert!(!rlock.locked());
            assert!(rlock.raw().try_acquire());
            rlock.restore_after_wait(saved, true, here());
        }
        assert!(rlock.is_owned());
        rlock.release().unwrap();
        rlock.release().unwrap();
        assert!(!rlock.locked());
    }

    #[test]
    fn a_plain_lock_released_by_another_thread_during_the_wait_is_taken_again() {
        let lock = Lock::new();
        // SAFETY: a plain lock not held: release_for_wait releases nothing
        // and restore takes the lock.
        unsafe {
            let saved = lock.release_for_wait(here());
            assert!(!lock.locked());
            lock.restore_after_wait(saved, false, here());
        }
        assert!(lock.locked());
        lock.release().unwrap();
    }

    #[test]
    fn the_queue_key_is_the_raw_words_address() {
        let lock = Lock::new();
        assert_eq!(ConditionLock::queue_key(&lock), lock.raw().queue_key());
        assert_eq!(ConditionLock::queue_key(&lock), lock.raw() as *const RawLock as usize);
        let rlock = RLock::new();
        assert_eq!(ConditionLock::queue_key(&rlock), rlock.raw() as *const RawLock as usize);
    }

    #[test]
    fn waiters_are_marked_only_on_a_held_lock() {
        for lock in [&Lock::new() as &dyn ConditionLock, &RLock::new()] {
            // Free: nothing marked, so the next acquire is the plain one.
            assert!(!lock.mark_waiters_if_locked());
            assert!(lock.try_acquire());
            assert!(!lock.is_locked_with_waiters());
            // Held: marked.
            assert!(lock.mark_waiters_if_locked());
            assert!(lock.is_locked_with_waiters());
            assert!(lock.mark_waiters_if_locked());
            assert!(lock.is_locked_with_waiters());
            // The release clears it (nobody was really parked).
            lock.release(here()).unwrap();
            assert!(!lock.is_locked_with_waiters());
            assert!(lock.try_acquire());
            assert!(!lock.is_locked_with_waiters());
            lock.mark_waiters();
            assert!(lock.is_locked_with_waiters());
            lock.release(here()).unwrap();
            assert!(!lock.is_locked_with_waiters());
        }
    }

    #[test]
    fn a_release_to_a_waiter_is_noted_while_the_profile_is_on() {
        thread_core::profile::enable();
        for lock in [&Lock::new() as &dyn ConditionLock, &RLock::new()] {
            assert_eq!(lock.released_at(), None);
            // Not noted: a release that wakes nobody, nor one of a free lock.
            lock.acquire(here());
            lock.release(here()).unwrap();
            assert!(lock.release(here()).is_err());
            assert_eq!(lock.released_at(), None);
            lock.acquire(here());
            std::thread::scope(|s| {
                let waiter = s.spawn(|| {
                    lock.acquire(here());
                    lock.release(here()).unwrap();
                });
                // The waiter is about to park once PARKED is set.
                while !lock.is_locked_with_waiters() {
                    std::thread::yield_now();
                }
                let site = Location::caller();
                lock.release(site).unwrap();
                waiter.join().unwrap();
                assert_eq!(lock.released_at(), Some(site));
            });
        }
    }
}
