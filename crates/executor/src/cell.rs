//! `Guarded<T>`: a value behind this workspace's [`RawLock`], reached only
//! through a closure that runs while the lock is held.
//!
//! `sync_lock::Mutex` would do, but it needs a `const` raw lock, which the
//! loom build has not; this is the same idea on `RawLock` and the shim's
//! `UnsafeCell`, so the loom models check every access to the value.
//!
//! A `RawLock` (one word), not a `Lock` (four): every future has one of
//! these locks, and a smaller future is a cheaper allocation. The locks are
//! the executor's own, held for a few instructions and never while a
//! thread waits for anything else, so a thread dump loses nothing by not
//! naming them.

use sync_lock::RawLock;
use thread_core::__private::cell::UnsafeCell;

/// A value that only the holder of its lock touches.
pub(crate) struct Guarded<T> {
    lock: RawLock,
    value: UnsafeCell<T>,
}

// SAFETY: the value is only reached through `with`, under the lock, so at
// most one thread touches it at a time; it moves between threads, hence
// `T: Send`.
unsafe impl<T: Send> Sync for Guarded<T> {}
// SAFETY: sending the cell sends the value.
unsafe impl<T: Send> Send for Guarded<T> {}

/// Releases the lock when dropped, so that a panicking `f` leaves the cell
/// unlocked.
struct Held<'a>(&'a RawLock);

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}

impl<T> Guarded<T> {
    pub(crate) fn new(value: T) -> Self {
        Guarded { lock: RawLock::new(), value: UnsafeCell::new(value) }
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
