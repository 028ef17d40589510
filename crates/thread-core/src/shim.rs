//! The loom shim: the one place that chooses between the real world
//! (`std`, `parking_lot_core`, the OS clock) and loom's model of it.
//!
//! Every primitive of the workspace imports its atomics, spin hints and
//! thread identity from here (and its deadlines from `clock`), never from `std::sync::atomic`
//! or `loom` directly, so that building with `RUSTFLAGS="--cfg loom"` puts
//! the whole primitive — its atomics and its parking protocol — under the
//! model checker, the way tokio's `src/loom/` does it.
//!
//! Sibling crates reach it through `thread_core::__private`, which is not
//! part of the supported API.

/// Atomics: `std`'s, or loom's under `cfg(loom)`.
pub mod atomic {
    #[cfg(loom)]
    pub use loom::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, AtomicUsize};
    #[cfg(not(loom))]
    pub use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, AtomicUsize};

    #[cfg(loom)]
    pub use loom::sync::atomic::fence;
    #[cfg(not(loom))]
    pub use std::sync::atomic::fence;
    pub use std::sync::atomic::Ordering;
}

/// Blocking mutexes, for the few structures of the workspace that are more
/// than one atomic word (the timer service's queue): `std`'s, or loom's
/// under `cfg(loom)` so that the model checks them too.
pub mod sync {
    #[cfg(loom)]
    pub use loom::sync::{Mutex, MutexGuard};
    #[cfg(not(loom))]
    pub use std::sync::{Mutex, MutexGuard};
}

/// A cell written without atomics by the one thread that holds some lock
/// (an `RLock`'s count): `core`'s `UnsafeCell`, or loom's under
/// `cfg(loom)`, which checks that every access is ordered after the
/// previous writer's. Both are used through loom's `with` / `with_mut`.
pub mod cell {
    #[cfg(loom)]
    pub use loom::cell::UnsafeCell;

    /// `core::cell::UnsafeCell` with loom's interface.
    #[cfg(not(loom))]
    #[derive(Debug, Default)]
    pub struct UnsafeCell<T>(core::cell::UnsafeCell<T>);

    #[cfg(not(loom))]
    impl<T> UnsafeCell<T> {
        /// A cell holding `value`.
        #[inline]
        pub const fn new(value: T) -> Self {
            UnsafeCell(core::cell::UnsafeCell::new(value))
        }

        /// Calls `f` with a pointer for reading the value.
        #[inline]
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        /// Calls `f` with a pointer for writing the value.
        #[inline]
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}

/// One step of a spin loop: a CPU pause hint, or under loom a yield to the
/// other model threads (a spin loop that never yields would never end
/// under the model).
#[inline]
pub fn spin_loop() {
    #[cfg(loom)]
    loom::thread::yield_now();
    #[cfg(not(loom))]
    std::hint::spin_loop();
}

/// Give up the rest of this time slice (`sched_yield`), or under loom let
/// another model thread run.
#[inline]
pub fn yield_now() {
    #[cfg(loom)]
    loom::thread::yield_now();
    #[cfg(not(loom))]
    std::thread::yield_now();
}

/// A number that is unique to the calling thread among the threads alive
/// at the same time, and never zero: the owner word of a re-entrant lock
/// and the holder bits of a plain one's state word (so it is aligned past
/// its two low bits). Outside the model it is the
/// thread's ident (`get_ident()`, `pthread_self`), computed once and cached
/// in a thread-local without a destructor, so that the dump can name the
/// owner of a lock as a `Thread` (by `ident()`); under loom it is per model
/// thread (the address of a model thread-local).
#[inline]
pub fn thread_token() -> usize {
    #[cfg(loom)]
    {
        // A `usize`, so that its address is aligned as a real ident is.
        loom::thread_local! { static TOKEN: usize = 0; }
        TOKEN.with(|t| t as *const usize as usize)
    }
    #[cfg(not(loom))]
    {
        std::thread_local! { static TOKEN: core::cell::Cell<usize> = const { core::cell::Cell::new(0) }; }
        TOKEN.with(|t| match t.get() {
            0 => {
                let ident = crate::ident::get_ident() as usize;
                t.set(ident);
                ident
            }
            ident => ident,
        })
    }
}
