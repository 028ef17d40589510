//! `RawLock`: the state machine under [`Lock`](crate::Lock), [`RLock`](crate::RLock)
//! and the data-carrying [`Mutex`](crate::Mutex).
//!
//! # State machine
//!
//! One `AtomicU8` (see the table on [`RawLock::state`]). The uncontended
//! paths touch only that word:
//!
//! * acquire: one compare-and-swap `UNLOCKED → LOCKED`;
//! * release: one swap to `UNLOCKED`, the instruction `std`'s futex mutex
//!   releases with. Measured by `cargo xtask bench` (`lock_uncontended`, one
//!   acquire + release, on the 2-core Intel Xeon this was written on): swap
//!   12.1 ns, the same as `std`; a compare-and-swap release, as
//!   `parking_lot` has, 12.6 ns; a load first to keep the swap off a word
//!   with `PARKED` set, 15.6 ns. The swap returns the old state, so a
//!   release of an unlocked lock, which Python reports, is still told from
//!   a good one.
//!
//! A thread that finds the lock held spins a few rounds (only while nobody
//! is parked: once someone sleeps, newcomers queue behind it), then sets
//! `PARKED` and parks on the word's address with the validation "still
//! `LOCKED | PARKED`".
//!
//! A release whose swap returns anything but `LOCKED` has cleared `PARKED`
//! or found the lock free. The lock is free from that moment, and the
//! release goes to the parking layer, which picks the oldest waiter; under
//! the queue lock, the release sets `PARKED` again if more waiters remain,
//! and wakes the chosen one to compete for the lock (barging keeps
//! throughput high). When the layer says `be_fair` (about every half
//! millisecond), the release instead takes the lock again on the waiter's
//! behalf, if nobody barged in since the swap, and the waiter wakes owning
//! it, so that no waiter starves behind threads that keep barging in. This
//! is the scheme of `parking_lot`'s `RawMutex`, with the fast release of
//! `std`'s; a fair hand-off that a barging thread pre-empts in that short
//! window is retried at the next `be_fair`.
//!
//! Invariant kept under the queue lock: while a thread is parked on the key
//! and the lock is held, `PARKED` is set. `PARKED` may be set with nobody
//! parked (a stale bit); that only sends the next release to the slow path.
//! The invariant is broken outside the queue lock only by a release's swap,
//! and every such release then takes the queue lock, wakes a waiter and
//! restores the bit for the others: no waiter is stranded, because a thread
//! about to park re-validates the word under the same queue lock.
//!
//! # Release from any thread
//!
//! Python lets any thread release a `Lock`, so two releases may race. Every
//! transition out of `LOCKED` is atomic and reports the state it replaced —
//! `release`'s swap, and `release_fair`'s compare-and-swaps — and only the
//! one that replaced a `LOCKED` state counts as a release: of two racing
//! releases of one acquisition, exactly one succeeds and the other reports
//! "release unlocked lock", unless an acquisition lands between them (a
//! thread barging in, or a fair hand-off's re-lock), which the second
//! release then releases, as it would in Python. A release of an unlocked
//! lock leaves it unlocked; if the word had `PARKED`, it wakes one waiter
//! and sets the bit again for the others, so nobody is stranded.

use thread_core::park::{self, ParkResult, UnparkResult, UnparkToken, DEFAULT_PARK_TOKEN};
use thread_core::shim::atomic::{AtomicU8, Ordering};
use thread_core::shim::{spin_loop, yield_now, Deadline};

use std::time::Duration;

const UNLOCKED: u8 = 0;
const LOCKED: u8 = 0b01;
const PARKED: u8 = 0b10;

/// Handed to a woken waiter that must compete for the lock itself.
pub(crate) const TOKEN_NORMAL: UnparkToken = UnparkToken(0);
/// Handed to a woken waiter that now owns the lock (fair hand-off).
pub(crate) const TOKEN_HANDOFF: UnparkToken = UnparkToken(1);

/// Spin rounds before parking: the first `SPIN_PAUSE_ROUNDS` pause the CPU
/// for 2, 4, 8 cycles, the rest give up the time slice (the shape of
/// `parking_lot`'s spin). Measured (a throwaway program, 2 and 8 threads
/// incrementing a counter under the lock, median of 9 runs, this 2-core
/// machine): 10/3 was at or below `parking_lot` in every run; 6/3, 10/6,
/// 16/6 and 4/4 were no better beyond the noise (±1 ns of ~6 ns); 2/2 and no
/// spin at all were up to 1.5× slower in some runs. A few rounds catch a
/// holder that releases within a microsecond on the other core; yielding
/// rather than pausing keeps an oversubscribed machine (8 threads on 2
/// cores) from burning the holder's core.
#[cfg(not(loom))]
const SPIN_ROUNDS: u32 = 10;
#[cfg(not(loom))]
const SPIN_PAUSE_ROUNDS: u32 = 3;
/// Under loom there is no spin: a spin only delays, and loom's
/// `yield_now` would force the other threads to run first, hiding the
/// interleavings where a waiter parks before the holder moves on.
#[cfg(loom)]
const SPIN_ROUNDS: u32 = 0;
#[cfg(loom)]
const SPIN_PAUSE_ROUNDS: u32 = 0;

/// A bounded spin-then-park back-off.
struct Spin(u32);

impl Spin {
    /// Spins once more; returns false once the budget is spent.
    #[inline]
    // Under loom both budgets are 0, which makes the comparisons constant.
    #[cfg_attr(loom, allow(clippy::absurd_extreme_comparisons))]
    fn spin(&mut self) -> bool {
        if self.0 >= SPIN_ROUNDS {
            return false;
        }
        self.0 += 1;
        if self.0 <= SPIN_PAUSE_ROUNDS {
            for _ in 0..(1u32 << self.0) {
                spin_loop();
            }
        } else {
            yield_now();
        }
        true
    }
}

/// The raw lock: no data, no guard, no owner — an atomic word and a parking
/// slow path. It implements [`lock_api::RawMutex`] and
/// [`lock_api::RawMutexTimed`], so [`Mutex<T>`](crate::Mutex) is a
/// data-carrying mutex on it.
///
/// Most programs want [`Lock`](crate::Lock) (Python's API) or
/// [`Mutex`](crate::Mutex) (Rust's) rather than this type.
///
/// # Examples
///
/// ```
/// use sync_lock::RawLock;
///
/// let raw = RawLock::new();
/// assert!(raw.try_acquire());
/// assert!(!raw.try_acquire());
/// assert!(raw.release());
/// assert!(!raw.release()); // it was not locked any more
/// ```
pub struct RawLock {
    /// The lock's whole state.
    ///
    /// | bit | name     | meaning                                              |
    /// |-----|----------|------------------------------------------------------|
    /// | 0   | `LOCKED` | the lock is held                                     |
    /// | 1   | `PARKED` | threads may be parked on this word's address          |
    ///
    /// | value             | state                                             |
    /// |-------------------|---------------------------------------------------|
    /// | `0`               | free, nobody waits: acquire is one CAS            |
    /// | `LOCKED`          | held, nobody parked: release is one swap          |
    /// | `LOCKED\|PARKED`  | held, waiters parked: release unparks one          |
    /// | `PARKED`          | free, waiters parked (just released, or a stale bit): acquirers may barge |
    state: AtomicU8,
}

// The word is only touched atomically; the parking layer keys on its
// address, which is stable for as long as `&self` is borrowed.

impl Default for RawLock {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for RawLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawLock").field("locked", &self.is_locked()).finish()
    }
}

impl RawLock {
    /// A new, unlocked lock.
    ///
    /// # Examples
    ///
    /// ```
    /// static RAW: sync_lock::RawLock = sync_lock::RawLock::new();
    /// assert!(!RAW.is_locked());
    /// ```
    #[cfg(not(loom))]
    #[must_use]
    #[inline]
    pub const fn new() -> RawLock {
        RawLock { state: AtomicU8::new(UNLOCKED) }
    }

    /// A new, unlocked lock (loom's atomics have no `const fn new`).
    #[cfg(loom)]
    #[must_use]
    pub fn new() -> RawLock {
        RawLock { state: AtomicU8::new(UNLOCKED) }
    }

    /// Blocks until the lock is acquired.
    ///
    /// # Examples
    ///
    /// ```
    /// let raw = sync_lock::RawLock::new();
    /// raw.acquire();
    /// assert!(raw.is_locked());
    /// # assert!(raw.release());
    /// ```
    #[inline]
    pub fn acquire(&self) {
        // Acquire: pairs with the Release of the swap in `release` or the
        // CAS in `release_fair*`, so the last holder's writes are visible.
        if self.state.compare_exchange_weak(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed).is_err() {
            self.acquire_slow(Deadline::NEVER);
        }
    }

    /// Acquires the lock if it is free; never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let raw = sync_lock::RawLock::new();
    /// assert!(raw.try_acquire());
    /// assert!(!raw.try_acquire());
    /// # assert!(raw.release());
    /// ```
    #[inline]
    pub fn try_acquire(&self) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            if s & LOCKED != 0 {
                return false;
            }
            // Acquire: pairs with the Release in `release` / `release_fair*`.
            match self.state.compare_exchange_weak(s, s | LOCKED, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => return true,
                Err(x) => s = x,
            }
        }
    }

    /// Blocks until the lock is acquired or `timeout` has passed; returns
    /// whether it was acquired. `Duration::ZERO` tries once; any duration,
    /// up to `Duration::MAX`, is accepted.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let raw = sync_lock::RawLock::new();
    /// assert!(raw.acquire_timeout(Duration::from_millis(10)));
    /// assert!(!raw.acquire_timeout(Duration::from_millis(10)));
    /// # assert!(raw.release());
    /// ```
    #[inline]
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        // Acquire: as in `acquire`.
        if self.state.compare_exchange_weak(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            return true;
        }
        if timeout.is_zero() {
            return self.try_acquire();
        }
        self.acquire_slow(Deadline::after(timeout))
    }

    /// Blocks until the lock is acquired or `deadline` passes.
    #[inline]
    pub(crate) fn acquire_until(&self, deadline: Deadline) -> bool {
        // Acquire: as in `acquire`.
        if self.state.compare_exchange_weak(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            return true;
        }
        self.acquire_slow(deadline)
    }

    #[cold]
    fn acquire_slow(&self, deadline: Deadline) -> bool {
        let mut spin = Spin(0);
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            // Free (possibly with waiters parked): barge in.
            if s & LOCKED == 0 {
                // Acquire: pairs with the Release in `release` / `release_fair*`.
                match self.state.compare_exchange_weak(s, s | LOCKED, Ordering::Acquire, Ordering::Relaxed) {
                    Ok(_) => return true,
                    Err(x) => {
                        s = x;
                        continue;
                    }
                }
            }
            // Held and nobody queued yet: spin a little first.
            if s & PARKED == 0 && spin.spin() {
                s = self.state.load(Ordering::Relaxed);
                continue;
            }
            // Announce that a thread is about to park, so the release takes
            // the slow path and wakes us.
            if s & PARKED == 0 {
                // Relaxed: the parking layer's lock orders this against the
                // validation below and the release's unpark.
                if let Err(x) = self.state.compare_exchange_weak(s, s | PARKED, Ordering::Relaxed, Ordering::Relaxed) {
                    s = x;
                    continue;
                }
            }
            if deadline.has_passed() {
                return self.try_acquire();
            }
            // Sleep only if the lock is still held with PARKED set: a
            // release between our CAS and here changed the word, and under
            // the queue lock it either ran already (validation fails) or
            // will find us queued (no lost wake-up).
            let validate = || self.state.load(Ordering::Relaxed) == LOCKED | PARKED;
            let timed_out = |_key: usize, was_last: bool| self.clear_parked_if_last(was_last);
            // SAFETY: the key is this lock's own address; the callbacks only
            // touch its atomic word and neither panic nor call the parking
            // layer.
            let r = unsafe { park::park(self.key(), validate, || {}, timed_out, DEFAULT_PARK_TOKEN, deadline) };
            match r {
                // The releaser left the lock LOCKED for us.
                ParkResult::Unparked(TOKEN_HANDOFF) => return true,
                ParkResult::TimedOut => return false,
                ParkResult::Unparked(_) | ParkResult::Invalid => {}
            }
            spin = Spin(0);
            s = self.state.load(Ordering::Relaxed);
        }
    }

    /// Releases the lock; returns false if it was not locked (it stays
    /// unlocked; a parked waiter may be woken to compete for it). Any thread
    /// may release.
    ///
    /// # Examples
    ///
    /// ```
    /// let raw = sync_lock::RawLock::new();
    /// assert!(!raw.release());
    /// raw.acquire();
    /// assert!(raw.release());
    /// ```
    #[inline]
    pub fn release(&self) -> bool {
        // Release: publishes the critical section to the next acquirer
        // (its Acquire CAS).
        let prev = self.state.swap(UNLOCKED, Ordering::Release);
        if prev == LOCKED {
            return true;
        }
        self.release_contended(prev)
    }

    /// The swap of `release` found `prev`, not `LOCKED` alone, and left the
    /// word `UNLOCKED`: either threads may be parked (`PARKED` was set and the
    /// swap cleared it), or the lock was not locked (a release too many, or
    /// one that lost a race with another release). If `PARKED` was cleared,
    /// wake the oldest waiter and, under the queue lock, set the bit again
    /// for the others; when the parking layer says `be_fair` and the lock is
    /// still free, take it again on the waiter's behalf and hand it over.
    #[cold]
    fn release_contended(&self, prev: u8) -> bool {
        let released = prev & LOCKED != 0;
        if prev & PARKED != 0 {
            let callback = |r: UnparkResult| {
                let more = if r.have_more_threads { PARKED } else { 0 };
                if released && r.unparked_threads != 0 && r.be_fair {
                    // Acquire: a thread that barged in and released since our
                    // swap published its critical section; the waiter we hand
                    // the lock to is ordered after us by the parking layer.
                    if self
                        .state
                        .compare_exchange(UNLOCKED, LOCKED | more, Ordering::Acquire, Ordering::Relaxed)
                        .is_ok()
                    {
                        return TOKEN_HANDOFF;
                    }
                }
                if more != 0 {
                    self.state.fetch_or(PARKED, Ordering::Relaxed);
                }
                TOKEN_NORMAL
            };
            // SAFETY: the key is this lock's own address; the callback only
            // touches the atomic word and neither panics nor calls the layer.
            unsafe {
                park::unpark_one(self.key(), callback);
            }
        }
        released
    }

    /// Releases the lock and, if a thread is parked, hands it over to the
    /// oldest one directly (`lock_api`'s `unlock_fair`); returns false,
    /// changing nothing, if it was not locked.
    ///
    /// # Examples
    ///
    /// ```
    /// let raw = sync_lock::RawLock::new();
    /// raw.acquire();
    /// assert!(raw.release_fair());
    /// assert!(!raw.is_locked());
    /// ```
    #[inline]
    pub fn release_fair(&self) -> bool {
        // Release: publishes the critical section to the next acquirer.
        match self.state.compare_exchange(LOCKED, UNLOCKED, Ordering::Release, Ordering::Relaxed) {
            Ok(_) => true,
            Err(s) => self.release_fair_slow(s),
        }
    }

    #[cold]
    fn release_fair_slow(&self, mut s: u8) -> bool {
        // Without waiters parked the word can still change under us (a racing
        // release, an acquirer setting PARKED): retry the plain CAS.
        loop {
            if s & LOCKED == 0 {
                return false;
            }
            if s & PARKED != 0 {
                break;
            }
            // Release: as in `release`.
            match self.state.compare_exchange(s, UNLOCKED, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => return true,
                Err(x) => s = x,
            }
        }
        let mut released = true;
        let callback = |r: UnparkResult| {
            // Under the queue lock: the new state is decided together with
            // the choice of the thread to wake.
            let mut s = self.state.load(Ordering::Relaxed);
            loop {
                if s & LOCKED == 0 {
                    // A racing release won; the thread we wake (if any)
                    // will compete for the lock as after any release.
                    released = false;
                    return TOKEN_NORMAL;
                }
                let handoff = r.unparked_threads != 0;
                let more = if r.have_more_threads { PARKED } else { 0 };
                let (new, token) = if handoff { (LOCKED | more, TOKEN_HANDOFF) } else { (more, TOKEN_NORMAL) };
                // Release: publishes the critical section to the next owner,
                // whether it barges in (its Acquire CAS) or is handed the
                // lock (the parking layer's wake-up orders it too).
                match self.state.compare_exchange(s, new, Ordering::Release, Ordering::Relaxed) {
                    Ok(_) => return token,
                    Err(x) => s = x,
                }
            }
        };
        // SAFETY: the key is this lock's own address; the callback only
        // touches the atomic word and neither panics nor calls the layer.
        unsafe {
            park::unpark_one(self.key(), callback);
        }
        released
    }

    /// Whether the lock is held (by any thread).
    ///
    /// # Examples
    ///
    /// ```
    /// let raw = sync_lock::RawLock::new();
    /// assert!(!raw.is_locked());
    /// ```
    #[inline]
    pub fn is_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) & LOCKED != 0
    }

    #[inline]
    fn key(&self) -> usize {
        &self.state as *const AtomicU8 as usize
    }

    fn clear_parked_if_last(&self, was_last: bool) {
        if was_last {
            // Under the queue lock: nobody else is parked and a new parker
            // re-validates after we leave, so clearing cannot strand anyone.
            self.state.fetch_and(!PARKED, Ordering::Relaxed);
        }
    }
}

/// Support for a condition variable built on this lock (`sync-condition`):
/// it parks its waiters on its own key, then moves them onto this lock's
/// queue on `notify_all` instead of waking them all at once (the design of
/// `parking_lot`'s `Condvar`). Not part of the supported API.
#[doc(hidden)]
pub mod condvar_support {
    use super::{Ordering, RawLock, LOCKED, PARKED, TOKEN_HANDOFF};
    use thread_core::park::UnparkToken;

    impl RawLock {
        /// The parking-layer key this lock's waiters park on.
        #[inline]
        pub fn park_key(&self) -> usize {
            self.key()
        }

        /// For a requeue's validation (under both queue locks): if the lock
        /// is held, sets `PARKED` (the requeued threads will be parked on
        /// it) and returns true; if it is free, returns false (the caller
        /// wakes one thread to take it instead).
        pub fn mark_parked_if_locked(&self) -> bool {
            let mut s = self.state.load(Ordering::Relaxed);
            loop {
                if s & LOCKED == 0 {
                    return false;
                }
                if s & PARKED != 0 {
                    return true;
                }
                match self.state.compare_exchange_weak(s, s | PARKED, Ordering::Relaxed, Ordering::Relaxed) {
                    Ok(_) => return true,
                    Err(x) => s = x,
                }
            }
        }

        /// Whether the lock is held with `PARKED` set (one load of the
        /// word). A thread requeued onto the lock's queue normally sees this
        /// while it is queued there, so anything else suggests that it was
        /// taken off the queue: the lock is free, or a fair release handed
        /// it the lock. Only a hint: between a release's swap and its
        /// wake-up the bit is clear while threads are queued (see the
        /// module's invariant).
        #[inline]
        pub fn is_locked_with_waiters(&self) -> bool {
            self.state.load(Ordering::Relaxed) & (LOCKED | PARKED) == LOCKED | PARKED
        }

        /// Sets `PARKED` (under the queue lock, after threads were requeued
        /// onto this lock while it was free).
        pub fn mark_parked(&self) {
            self.state.fetch_or(PARKED, Ordering::Relaxed);
        }

        /// Whether a woken thread was handed this lock (it now owns it)
        /// rather than asked to compete for it.
        #[inline]
        pub fn is_handoff(token: UnparkToken) -> bool {
            token == TOKEN_HANDOFF
        }
    }
}

#[cfg(not(loom))]
mod lock_api_impl {
    use super::RawLock;
    use std::time::{Duration, Instant};
    use thread_core::shim::Deadline;

    // SAFETY: `lock` and `try_lock` give exclusive ownership until `unlock`:
    // the LOCKED bit is set by exactly one successful Acquire CAS and cleared
    // only by a release; `is_locked` reads the bit.
    unsafe impl lock_api::RawMutex for RawLock {
        #[allow(clippy::declare_interior_mutable_const)]
        const INIT: RawLock = RawLock::new();
        // Any thread may release, as in Python.
        type GuardMarker = lock_api::GuardSend;

        #[inline]
        fn lock(&self) {
            self.acquire();
        }

        #[inline]
        fn try_lock(&self) -> bool {
            self.try_acquire()
        }

        #[inline]
        unsafe fn unlock(&self) {
            let released = self.release();
            debug_assert!(released, "unlock of an unlocked RawLock");
        }

        #[inline]
        fn is_locked(&self) -> bool {
            RawLock::is_locked(self)
        }
    }

    // SAFETY: as `RawMutex`; the fair unlock only changes who gets the lock.
    unsafe impl lock_api::RawMutexFair for RawLock {
        #[inline]
        unsafe fn unlock_fair(&self) {
            let released = self.release_fair();
            debug_assert!(released, "unlock of an unlocked RawLock");
        }
    }

    // SAFETY: as `RawMutex`; a timed acquire either owns the lock or not.
    unsafe impl lock_api::RawMutexTimed for RawLock {
        type Duration = Duration;
        type Instant = Instant;

        #[inline]
        fn try_lock_for(&self, timeout: Duration) -> bool {
            self.acquire_timeout(timeout)
        }

        #[inline]
        fn try_lock_until(&self, timeout: Instant) -> bool {
            let left = timeout.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return self.try_acquire();
            }
            self.acquire_until(Deadline::after(left))
        }
    }
}
