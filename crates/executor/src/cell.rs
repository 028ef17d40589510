//! `Guarded<T, L>`: a value behind one of this workspace's locks, reached
//! only through a closure that runs while the lock is held.
//!
//! `sync_lock::Mutex` would do, but it needs a `const` raw lock, which the
//! loom build has not; this is the same idea on the shim's `UnsafeCell`, so
//! the loom models check every access to the value.
//!
//! Two locks serve:
//!
//! * [`RawLock`] (one word, the default) where a lock is held for a few
//!   instructions and never while its holder waits for anything: the
//!   callbacks of every future, a `wait` set's list. Every future has one,
//!   and a smaller future is a cheaper allocation.
//! * [`Lock`] (Python's, which the thread dump names and the contention
//!   profile counts) for the pool's state, whose holder starts a worker
//!   thread and waits until it runs: a `submit` or a `shutdown` can wait
//!   for it that long, and a dump must show it.

use sync_lock::{Lock, RawLock};
use thread_core::__private::cell::UnsafeCell;

/// A lock that a [`Guarded`] can hold its value behind.
pub(crate) trait CellLock {
    fn new() -> Self;
    fn acquire(&self);
    fn release(&self);
}

impl CellLock for RawLock {
    fn new() -> Self {
        RawLock::new()
    }
    fn acquire(&self) {
        RawLock::acquire(self);
    }
    fn release(&self) {
        let released = RawLock::release(self);
        debug_assert!(released, "a Guarded cell's lock is held until `with` returns");
    }
}

impl CellLock for Lock {
    fn new() -> Self {
        Lock::new()
    }
    fn acquire(&self) {
        Lock::acquire(self);
    }
    fn release(&self) {
        let released = Lock::release(self);
        debug_assert!(released.is_ok(), "a Guarded cell's lock is held until `with` returns");
    }
}

/// A value that only the holder of its lock touches.
pub(crate) struct Guarded<T, L: CellLock = RawLock> {
    lock: L,
    value: UnsafeCell<T>,
}

// SAFETY: the value is only reached through `with`, under the lock, so at
// most one thread touches it at a time; it moves between threads, hence
// `T: Send`.
unsafe impl<T: Send, L: CellLock + Sync> Sync for Guarded<T, L> {}
// SAFETY: sending the cell sends the value.
unsafe impl<T: Send, L: CellLock + Send> Send for Guarded<T, L> {}

/// Releases the lock when dropped, so that a panicking `f` leaves the cell
/// unlocked.
struct Held<'a, L: CellLock>(&'a L);

impl<L: CellLock> Drop for Held<'_, L> {
    fn drop(&mut self) {
        self.0.release();
    }
}

impl<T, L: CellLock> Guarded<T, L> {
    pub(crate) fn new(value: T) -> Self {
        Guarded { lock: L::new(), value: UnsafeCell::new(value) }
    }

    /// Runs `f` on the value with the lock held. `f` must not call `with`
    /// on the same cell (the lock is not re-entrant).
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        self.lock.acquire();
        let _held = Held(&self.lock);
        // SAFETY: the lock is held for the whole closure, and every access
        // to the value goes through here, so this is the only reference.
        self.value.with_mut(|p| f(unsafe { &mut *p }))
    }
}
