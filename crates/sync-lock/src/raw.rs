//! `RawLock`: the state machine under [`Lock`](crate::Lock), [`RLock`](crate::RLock)
//! and the data-carrying [`Mutex`](crate::Mutex).
//!
//! # State machine
//!
//! One `AtomicUsize` (see the table on [`RawLock::state`]): two flag bits
//! and, above them, the *holder*, the token of the thread that acquired
//! the lock (`Lock` writes it, for the thread dump; `RLock`, which keeps
//! its owner apart, and `Mutex` leave it 0). The uncontended paths touch
//! only that word:
//!
//! * acquire: one compare-and-swap `UNLOCKED → LOCKED | holder`, so that
//!   naming the holder costs no second write inside the critical section
//!   (a second write there is a second cache-line transfer whenever a
//!   spinning thread read the line in between);
//! * release: one swap to `UNLOCKED`, the instruction `std`'s futex mutex
//!   releases with, and the cheapest of the three ways measured (the book's
//!   performance chapter has the figures). The swap returns the old state, so a
//!   release of an unlocked lock, which Python reports, is still told from
//!   a good one.
//!
//! A thread that finds the lock held spins a few rounds (only while nobody
//! is parked: once someone sleeps, newcomers queue behind it), then sets
//! `PARKED` and parks on the word's address with the validation "still
//! `LOCKED | PARKED`", whoever holds it (the holder bits are ignored).
//!
//! A release whose swap returns anything but `LOCKED` (with any holder
//! bits) has cleared `PARKED` or found the lock free. The lock is free from that moment, and the
//! release goes to the parking layer, which picks the oldest waiter; under
//! the queue lock, the release sets `PARKED` again if more waiters remain,
//! and wakes the chosen one to compete for the lock (barging keeps
//! throughput high). When the layer says `be_fair` (about every half
//! millisecond), the release instead takes the lock again on the waiter's
//! behalf (holder 0), if nobody barged in since the swap, and the waiter
//! wakes owning it and names itself in the holder bits, so that no waiter
//! starves behind threads that keep barging in. This
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

use thread_core::__private::atomic::{AtomicUsize, Ordering};
use thread_core::__private::wait::{self, SpinPolicy, UnparkResult, UnparkToken, WaitAs, Waiter, Wake};
use thread_core::__private::Deadline;

use std::time::Duration;

const UNLOCKED: usize = 0;
const LOCKED: usize = 0b01;
const PARKED: usize = 0b10;
/// The bits above the flags: the holder's token, 0 if not known.
const HOLDER: usize = !(LOCKED | PARKED);

/// The holder bits for the thread whose token is `token`: the token itself
/// (a thread's ident is the address of its `pthread` block, aligned well
/// past the two flag bits), or 0 (unknown) for a token that would overlap
/// them.
#[inline]
pub(crate) fn holder_bits(token: usize) -> usize {
    if token & !HOLDER == 0 {
        token
    } else {
        0
    }
}

/// Handed to a woken waiter that must compete for the lock itself.
pub(crate) const TOKEN_NORMAL: UnparkToken = UnparkToken(0);
/// Handed to a woken waiter that now owns the lock (fair hand-off).
pub(crate) const TOKEN_HANDOFF: UnparkToken = UnparkToken(1);

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
    /// | bit   | name     | meaning                                            |
    /// |-------|----------|----------------------------------------------------|
    /// | 0     | `LOCKED` | the lock is held                                   |
    /// | 1     | `PARKED` | threads may be parked on this word's address        |
    /// | 2..   | `HOLDER` | the acquirer's token, or 0; nonzero only while `LOCKED` |
    ///
    /// | value (`h` the holder bits) | state                             |
    /// |-------------------|---------------------------------------------------|
    /// | `0`               | free, nobody waits: acquire is one CAS            |
    /// | `h\|LOCKED`       | held, nobody parked: release is one swap          |
    /// | `h\|LOCKED\|PARKED` | held, waiters parked: release unparks one       |
    /// | `PARKED`          | free, waiters parked (just released, or a stale bit): acquirers may barge |
    ///
    /// Every transition to free clears the holder bits (a release swaps in
    /// 0; the others set only `PARKED` on a free word), and a fair
    /// hand-off locks the word with holder 0, which the thread it wakes then
    /// fills in if the lock is still held with none. Waiters park on the
    /// word's address, which stays put while `&self` is borrowed.
    state: AtomicUsize,
}

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
        RawLock { state: AtomicUsize::new(UNLOCKED) }
    }

    /// A new, unlocked lock (loom's atomics have no `const fn new`).
    #[cfg(loom)]
    #[must_use]
    pub fn new() -> RawLock {
        RawLock { state: AtomicUsize::new(UNLOCKED) }
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
        if !self.try_fast(0) {
            self.acquire_slow(0, Deadline::NEVER, None);
        }
    }

    /// The fast path of every acquire: one compare-and-swap from unlocked
    /// to held by `holder` (holder bits, see [`holder_bits`]).
    #[inline]
    pub(crate) fn try_fast(&self, holder: usize) -> bool {
        // Acquire: pairs with the Release of the swap in `release` or the
        // CAS in `release_fair*`, so the last holder's writes are visible.
        self.state.compare_exchange_weak(UNLOCKED, LOCKED | holder, Ordering::Acquire, Ordering::Relaxed).is_ok()
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
    #[must_use = "`false` means the lock was not taken"]
    #[inline]
    pub fn try_acquire(&self) -> bool {
        self.try_acquire_as(0)
    }

    /// `try_acquire` for the holder `holder` (holder bits).
    #[inline]
    pub(crate) fn try_acquire_as(&self, holder: usize) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        self.barge(&mut s, holder)
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
    #[must_use = "`false` means the lock was not taken"]
    #[inline]
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        self.acquire_timeout_as(0, timeout, None)
    }

    /// [`acquire_timeout`](Self::acquire_timeout) for the holder `holder`
    /// (holder bits), recording a wait that parks as `what` for the thread
    /// dump.
    #[inline]
    pub(crate) fn acquire_timeout_as(&self, holder: usize, timeout: Duration, what: Option<WaitAs<'_>>) -> bool {
        if self.try_fast(holder) {
            return true;
        }
        if timeout.is_zero() {
            return self.try_acquire_as(holder);
        }
        self.acquire_slow(holder, Deadline::after(timeout), what)
    }

    /// Blocks until the lock is acquired or `deadline` passes (for
    /// `lock_api`'s `try_lock_until`, which the loom build does not have).
    #[cfg(not(loom))]
    #[inline]
    pub(crate) fn acquire_until(&self, deadline: Deadline) -> bool {
        self.try_fast(0) || self.acquire_slow(0, deadline, None)
    }

    /// The slow path of every acquire, for the holder `holder` (holder
    /// bits); a wait that parks is recorded as `what` for the thread dump.
    #[cold]
    pub(crate) fn acquire_slow(&self, holder: usize, deadline: Deadline, what: Option<WaitAs<'_>>) -> bool {
        // Most contended acquisitions end in the first spin: it builds no
        // waiter.
        self.barge_or_spin(holder, deadline) || self.acquire_parking(holder, deadline, what)
    }

    /// Takes the lock whenever it is seen free ([`barge`](Self::barge));
    /// while it is held and nobody is parked, spins (once someone sleeps,
    /// newcomers queue behind it). Whether it took the lock.
    ///
    /// A barge that loses the race to another thread does not end the spin:
    /// the spin goes on through the rest of its rounds and yields. With more
    /// threads than CPUs a lost race is the common case, and parking after
    /// the first one parked several times as often as `parking_lot`, whose
    /// spin also keeps going (the figures are in the book's performance
    /// chapter).
    #[inline]
    fn barge_or_spin(&self, holder: usize, deadline: Deadline) -> bool {
        let mut s = self.state.load(Ordering::Relaxed);
        if self.barge(&mut s, holder) {
            return true;
        }
        if s & PARKED != 0 {
            return false;
        }
        let mut taken = false;
        wait::spin(SpinPolicy::BRIEF, 1, deadline, || {
            let mut s = self.state.load(Ordering::Relaxed);
            taken = self.barge(&mut s, holder);
            taken || s & PARKED != 0
        });
        taken
    }

    /// While the word `s` shows the lock free, tries to take it (barging in,
    /// even past parked waiters): whether it did; if not, `s` is the word
    /// as last seen, held.
    #[inline]
    fn barge(&self, s: &mut usize, holder: usize) -> bool {
        while *s & LOCKED == 0 {
            // Free: the holder bits are 0 (see the table on `state`).
            // Acquire: pairs with the Release in `release` / `release_fair*`.
            match self.state.compare_exchange_weak(*s, *s | LOCKED | holder, Ordering::Acquire, Ordering::Relaxed) {
                Ok(_) => return true,
                Err(x) => *s = x,
            }
        }
        false
    }

    /// The rest of the slow path: park until woken, then barge or spin
    /// again.
    #[inline(never)]
    fn acquire_parking(&self, holder: usize, deadline: Deadline, what: Option<WaitAs<'_>>) -> bool {
        // Who holds the lock does not matter to a waiter: it sleeps while
        // the lock is held with PARKED set.
        let mut waiter = Waiter::new(&self.state, PARKED, deadline).ignoring(HOLDER);
        if let Some(what) = what {
            // SAFETY: the waiter is dropped before this call returns, while
            // its target is still borrowed (it is never leaked).
            waiter = unsafe { waiter.on(what) };
        }
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            if self.barge(&mut s, holder) {
                return true;
            }
            // Sleep only while the lock is held with PARKED set: a release
            // between our look and the sleep changed the word, and under the
            // queue lock it either ran already (no sleep) or will find us
            // queued (no lost wake-up).
            match waiter.park(s) {
                // The releaser left the lock LOCKED for us.
                Wake::Woken(TOKEN_HANDOFF) => {
                    self.note_handed_over(holder);
                    return true;
                }
                Wake::TimedOut => return self.try_acquire_as(holder),
                // Woken to compete, or the word changed as we came to sleep:
                // barge or spin again first. Raced to announce ourselves:
                // the word is busy, announce again at once (a spin would
                // only delay it).
                Wake::Woken(_) | Wake::Changed => {
                    if self.barge_or_spin(holder, deadline) {
                        return true;
                    }
                }
                Wake::Raced => {}
            }
            s = self.state.load(Ordering::Relaxed);
        }
    }

    /// After a fair hand-off, which locks the word with holder 0: fills in
    /// `holder` (holder bits) while the lock is still held with none (any
    /// thread may release a `Lock`, and another may have taken it since).
    pub(crate) fn note_handed_over(&self, holder: usize) {
        if holder == 0 {
            return;
        }
        let mut s = self.state.load(Ordering::Relaxed);
        // Relaxed: the holder bits are read by the dump only; the CAS only
        // keeps the flags that other threads change meanwhile.
        while s & LOCKED != 0 && s & HOLDER == 0 {
            match self.state.compare_exchange_weak(s, s | holder, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return,
                Err(x) => s = x,
            }
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
        self.release_noting(|| {})
    }

    /// `release`, calling `before_wake` first if it is to wake a waiter
    /// (the contention profile notes the release's call site there).
    #[inline]
    pub(crate) fn release_noting(&self, before_wake: impl FnOnce()) -> bool {
        // Release: publishes the critical section to the next acquirer
        // (its Acquire CAS).
        let prev = self.state.swap(UNLOCKED, Ordering::Release);
        if prev & !HOLDER == LOCKED {
            return true;
        }
        if prev & PARKED != 0 {
            before_wake();
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
    fn release_contended(&self, prev: usize) -> bool {
        let released = prev & LOCKED != 0;
        if prev & PARKED != 0 {
            // SAFETY: the callback only touches the atomic word and neither
            // panics nor calls the wait path.
            unsafe {
                wait::wake_one(&self.state, |r| self.after_release_wake(released, r));
            }
        }
        released
    }

    /// `release_contended`'s step under the queue lock, once the thread to
    /// wake is chosen (`r`): restores `PARKED` if threads remain parked
    /// and, if this release `released` the lock, a thread is woken and the
    /// layer says `be_fair`, takes the lock again on that thread's behalf
    /// (if nobody barged in since the swap) and tells it so.
    fn after_release_wake(&self, released: bool, r: UnparkResult) -> UnparkToken {
        let more = if r.have_more_threads { PARKED } else { 0 };
        if released && r.unparked_threads != 0 && r.be_fair {
            // Acquire: a thread that barged in and released since our
            // swap published its critical section; the waiter we hand
            // the lock to is ordered after us by the parking layer.
            if self.state.compare_exchange(UNLOCKED, LOCKED | more, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                return TOKEN_HANDOFF;
            }
        }
        if more != 0 {
            self.state.fetch_or(PARKED, Ordering::Relaxed);
        }
        TOKEN_NORMAL
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

    /// `release_fair` when the word is not `LOCKED` alone (waiters parked,
    /// a holder named, or not locked).
    #[cold]
    fn release_fair_slow(&self, mut s: usize) -> bool {
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
        // SAFETY: the callback only touches the atomic word and neither
        // panics nor calls the wait path.
        unsafe {
            wait::wake_one(&self.state, |r| {
                let (done, token) = self.after_fair_release_wake(r);
                released = done;
                token
            });
        }
        released
    }

    /// `release_fair_slow`'s step under the queue lock, once the thread to
    /// wake is chosen (`r`): the new state is decided together with that
    /// choice. Returns whether this call released the lock, and the token
    /// for the woken thread.
    fn after_fair_release_wake(&self, r: UnparkResult) -> (bool, UnparkToken) {
        let mut s = self.state.load(Ordering::Relaxed);
        loop {
            if s & LOCKED == 0 {
                // A racing release won; the thread we wake (if any) will
                // compete for the lock as after any release.
                return (false, TOKEN_NORMAL);
            }
            let handoff = r.unparked_threads != 0;
            let more = if r.have_more_threads { PARKED } else { 0 };
            let (new, token) = if handoff { (LOCKED | more, TOKEN_HANDOFF) } else { (more, TOKEN_NORMAL) };
            // Release: publishes the critical section to the next owner,
            // whether it barges in (its Acquire CAS) or is handed the lock
            // (the parking layer's wake-up orders it too).
            match self.state.compare_exchange(s, new, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => return (true, token),
                Err(x) => s = x,
            }
        }
    }

    /// The holder bits (0 if not known, and always 0 while the lock is
    /// free: every transition to free clears them), for the thread dump.
    #[inline]
    pub(crate) fn holder(&self) -> usize {
        // Relaxed: a snapshot for the dump; it orders nothing.
        self.state.load(Ordering::Relaxed) & HOLDER
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

    /// The wait path's key of this lock's queue, onto which a `Condition`
    /// moves its waiters.
    #[inline]
    pub(crate) fn queue_key(&self) -> usize {
        wait::key(&self.state)
    }

    /// For a requeue's validation (under both queue locks): if the lock is
    /// held, sets `PARKED` (the requeued threads will be parked on it) and
    /// returns true; if it is free, returns false (the caller wakes one
    /// thread to take it instead).
    pub(crate) fn mark_parked_if_locked(&self) -> bool {
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

    /// Whether the lock is held with `PARKED` set (one load of the word).
    /// A thread requeued onto the lock's queue normally sees this while it
    /// is queued there, so anything else suggests that it was taken off the
    /// queue: the lock is free, or a fair release handed it the lock. Only a
    /// hint: between a release's swap and its wake-up the bit is clear while
    /// threads are queued (see the module's invariant).
    #[inline]
    pub(crate) fn is_locked_with_waiters(&self) -> bool {
        self.state.load(Ordering::Relaxed) & (LOCKED | PARKED) == LOCKED | PARKED
    }

    /// Sets `PARKED` (under the queue lock, after threads were requeued onto
    /// this lock while it was free).
    pub(crate) fn mark_parked(&self) {
        self.state.fetch_or(PARKED, Ordering::Relaxed);
    }
}

#[cfg(not(loom))]
mod lock_api_impl {
    use super::RawLock;
    use std::time::{Duration, Instant};
    use thread_core::__private::Deadline;

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

#[cfg(all(test, not(loom)))]
mod tests {
    //! The release's steps under the queue lock, row by row: the state a
    //! release leaves and the token its woken thread gets.
    use super::*;

    fn at(state: usize) -> RawLock {
        let raw = RawLock::new();
        raw.state.store(state, Ordering::Relaxed);
        raw
    }

    fn woke(unparked: usize, more: bool, fair: bool) -> UnparkResult {
        UnparkResult { unparked_threads: unparked, have_more_threads: more, be_fair: fair, ..UnparkResult::default() }
    }

    fn state(raw: &RawLock) -> usize {
        raw.state.load(Ordering::Relaxed)
    }

    #[test]
    fn a_fair_release_that_wakes_a_thread_hands_it_the_lock() {
        let raw = at(UNLOCKED);
        assert_eq!(raw.after_release_wake(true, woke(1, false, true)), TOKEN_HANDOFF);
        assert_eq!(state(&raw), LOCKED);
        let raw = at(UNLOCKED);
        assert_eq!(raw.after_release_wake(true, woke(1, true, true)), TOKEN_HANDOFF);
        assert_eq!(state(&raw), LOCKED | PARKED);
    }

    #[test]
    fn an_unfair_release_lets_the_woken_thread_compete() {
        let raw = at(UNLOCKED);
        assert_eq!(raw.after_release_wake(true, woke(1, false, false)), TOKEN_NORMAL);
        assert_eq!(state(&raw), UNLOCKED);
        let raw = at(UNLOCKED);
        assert_eq!(raw.after_release_wake(true, woke(1, true, false)), TOKEN_NORMAL);
        assert_eq!(state(&raw), PARKED);
    }

    #[test]
    fn no_hand_off_to_nobody_after_a_barge_or_for_a_release_too_many() {
        // Nobody woken (a stale PARKED bit): the lock stays free.
        let raw = at(UNLOCKED);
        assert_eq!(raw.after_release_wake(true, woke(0, false, true)), TOKEN_NORMAL);
        assert_eq!(state(&raw), UNLOCKED);
        // A thread barged in since the swap: it keeps the lock.
        let raw = at(LOCKED);
        assert_eq!(raw.after_release_wake(true, woke(1, true, true)), TOKEN_NORMAL);
        assert_eq!(state(&raw), LOCKED | PARKED);
        // The release found the lock free: it hands nothing over.
        let raw = at(UNLOCKED);
        assert_eq!(raw.after_release_wake(false, woke(1, true, true)), TOKEN_NORMAL);
        assert_eq!(state(&raw), PARKED);
    }

    #[test]
    fn unlock_fair_hands_the_lock_to_the_woken_thread() {
        let raw = at(LOCKED | PARKED);
        assert_eq!(raw.after_fair_release_wake(woke(1, false, false)), (true, TOKEN_HANDOFF));
        assert_eq!(state(&raw), LOCKED);
        let raw = at(LOCKED | PARKED);
        assert_eq!(raw.after_fair_release_wake(woke(1, true, false)), (true, TOKEN_HANDOFF));
        assert_eq!(state(&raw), LOCKED | PARKED);
    }

    #[test]
    fn unlock_fair_with_nobody_woken_frees_the_lock() {
        let raw = at(LOCKED | PARKED);
        assert_eq!(raw.after_fair_release_wake(woke(0, false, false)), (true, TOKEN_NORMAL));
        assert_eq!(state(&raw), UNLOCKED);
        let raw = at(LOCKED | PARKED);
        assert_eq!(raw.after_fair_release_wake(woke(0, true, false)), (true, TOKEN_NORMAL));
        assert_eq!(state(&raw), PARKED);
    }

    #[test]
    fn unlock_fair_that_lost_to_a_racing_release_releases_nothing() {
        let raw = at(PARKED);
        assert_eq!(raw.after_fair_release_wake(woke(1, false, false)), (false, TOKEN_NORMAL));
        assert_eq!(state(&raw), PARKED);
        let raw = at(UNLOCKED);
        assert_eq!(raw.after_fair_release_wake(woke(1, true, true)), (false, TOKEN_NORMAL));
        assert_eq!(state(&raw), UNLOCKED);
    }

    #[test]
    fn a_token_becomes_the_holder_bits_unless_it_overlaps_the_flags() {
        assert_eq!(holder_bits(0x7f00_1234_5600), 0x7f00_1234_5600);
        assert_eq!(holder_bits(0x7f00_1234_5601), 0);
        assert_eq!(holder_bits(0x7f00_1234_5602), 0);
        assert_eq!(holder_bits(thread_core::__private::thread_token()) & (LOCKED | PARKED), 0);
    }

    #[test]
    fn an_acquire_names_its_holder_and_a_release_clears_it() {
        let raw = RawLock::new();
        assert!(raw.try_fast(0x1000));
        assert_eq!((state(&raw), raw.holder()), (LOCKED | 0x1000, 0x1000));
        assert!(raw.release());
        assert_eq!((state(&raw), raw.holder()), (UNLOCKED, 0));
        assert!(raw.try_acquire_as(0x2000));
        assert_eq!(raw.holder(), 0x2000);
        assert!(!raw.try_acquire_as(0x3000));
        assert!(raw.release_fair());
        assert_eq!(state(&raw), UNLOCKED);
        assert!(raw.acquire_timeout_as(0x4000, std::time::Duration::from_secs(60), None));
        assert_eq!(raw.holder(), 0x4000);
        assert!(raw.release());
        // A free word with a stale PARKED bit is barged into with the
        // holder; its release reports it was locked.
        let raw = at(PARKED);
        assert!(raw.try_acquire_as(0x5000));
        assert_eq!(state(&raw), PARKED | LOCKED | 0x5000);
        assert!(raw.release());
        assert_eq!(state(&raw), UNLOCKED);
        assert!(!raw.release());
    }

    #[test]
    fn a_hand_over_names_the_woken_thread_only_while_held_by_nobody_named() {
        let raw = at(LOCKED | PARKED);
        raw.note_handed_over(0x1000);
        assert_eq!(state(&raw), LOCKED | PARKED | 0x1000);
        // Taken by another (named) thread since: left alone.
        raw.note_handed_over(0x2000);
        assert_eq!(state(&raw), LOCKED | PARKED | 0x1000);
        // Released since (any thread may release a Lock): left free.
        let raw = at(PARKED);
        raw.note_handed_over(0x1000);
        assert_eq!(state(&raw), PARKED);
        // An unnamed acquirer names nobody.
        let raw = at(LOCKED);
        raw.note_handed_over(0);
        assert_eq!(state(&raw), LOCKED);
    }
}
