//! `Barrier`: Python's barrier state machine in one atomic word.
//!
//! # The state machine
//!
//! Python's `Barrier` has four states — filling, draining, resetting,
//! broken — and a count, all under a condition variable's lock. Here they
//! live in one `AtomicU64` (see the table on [`Barrier::state`]), with a
//! generation number instead of the draining state:
//!
//! * **filling**: arrivals take index `count` and add one to `count`. The
//!   last arrival (index `parties - 1`) does not: it runs the action (with
//!   `ACTION` set) and then starts the next generation (count 0, the
//!   generation number one higher) in one step. Waiters see the generation
//!   change and return their index; they never touch the word again, so a
//!   round costs each party one read-modify-write, and the next round can
//!   fill while the last one's waiters are still leaving (Python makes
//!   arrivals wait for them).
//! * **broken** (`BROKEN`): by [`Barrier::abort`], a timed-out waiter, or an
//!   action that panicked. Counted waiters leave with an error, each taking
//!   one off `count`; arrivals fail at once.
//! * **resetting** (`BROKEN | RESETTING`): [`Barrier::reset`] while waiters
//!   are counted. They leave with an error; the last to leave starts a fresh
//!   generation. Arrivals wait for that, then join it, as in Python.
//! * while `ACTION` is set the round is as good as complete (Python runs
//!   the action under its lock, where no timeout, abort or reset can get
//!   in): waiters ignore their timeouts and a `BROKEN` set by an `abort`
//!   meanwhile (that abort breaks the *next* generation instead), a `reset`
//!   meanwhile just clears `BROKEN`, and arrivals wait for the next
//!   generation.
//!
//! A waiter's generation cannot change while it is counted, except by the
//! completion of its round: a reset only starts a new generation once
//! `count` is 0, and `abort` never does. So "the generation moved on" means
//! "released", and the waiter needs no other message.
//!
//! Blocking: every thread that waits for the word to change sets `PARKED`
//! and parks on the word's address with the validation "every bit but the
//! count is still what I saw". Every change a waiter waits for (a new
//! generation, `BROKEN`, `ACTION` or `RESETTING` cleared) clears `PARKED` in
//! the same step and, if it was set, unparks everyone; threads still waiting
//! set it again.

use std::fmt;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;
use thread_core::__private::atomic::{AtomicU64, Ordering};
use thread_core::__private::wait::{self, SpinPolicy, WaitAs, WaitTarget, Waiter, Wake};
use thread_core::__private::Deadline;
use thread_core::dump::{Holder, Kind, Target};

const COUNT_MASK: u64 = (1 << 24) - 1;
const BROKEN: u64 = 1 << 24;
const RESETTING: u64 = 1 << 25;
const ACTION: u64 = 1 << 26;
const PARKED: u64 = 1 << 27;
const GEN_SHIFT: u32 = 28;
const GEN_ONE: u64 = 1 << GEN_SHIFT;
const GEN_MASK: u64 = !(GEN_ONE - 1);

/// The most parties a barrier can have.
const MAX_PARTIES: usize = COUNT_MASK as usize;

/// The word that starts the generation after the one in `s`: count 0, no
/// flag.
#[inline]
fn next_generation(s: u64) -> u64 {
    (s & GEN_MASK).wrapping_add(GEN_ONE)
}

/// A barrier for a fixed number of threads (Python's `threading.Barrier`).
///
/// Each of the `parties` threads calls [`wait`](Barrier::wait); all block
/// until the last one arrives, then all return at once with distinct
/// arrival indices `0..parties` (the last to arrive gets `parties - 1`). The
/// barrier is then ready for the next round, with no allocation.
///
/// An optional action (set with [`Barrier::builder`]) runs once per round,
/// on the last thread to arrive, before any thread is released. If it
/// panics, the barrier breaks: the panic continues out of that thread's
/// `wait`, and the others get [`BrokenBarrierError`].
///
/// A barrier breaks for everyone when a `wait` times out or on
/// [`abort`](Barrier::abort); waiting on a broken barrier fails at once
/// until [`reset`](Barrier::reset). No panic ever poisons it.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use sync_barrier::Barrier;
///
/// let b = Arc::new(Barrier::new(2));
/// let b2 = b.clone();
/// let t = std::thread::spawn(move || b2.wait());
/// let mine = b.wait().unwrap();
/// let theirs = t.join().unwrap().unwrap();
/// assert_eq!(mine + theirs, 1); // one got 0, the other 1
/// ```
pub struct Barrier {
    /// The whole state:
    ///
    /// | bits   | name        | meaning                                               |
    /// |--------|-------------|-------------------------------------------------------|
    /// | 0..=23 | count       | threads counted as waiting in this generation         |
    /// | 24     | `BROKEN`    | broken: waiters leave with an error, arrivals fail    |
    /// | 25     | `RESETTING` | with `BROKEN`: the last waiter to leave starts afresh |
    /// | 26     | `ACTION`    | the last arrival is running the action                |
    /// | 27     | `PARKED`    | some thread may be parked on this word's address      |
    /// | 28..   | generation  | + 1 per completed round or reset, wrapping            |
    state: AtomicU64,
    parties: usize,
    timeout: Option<Duration>,
    action: Option<Arc<dyn Fn() + Send + Sync>>,
    /// The name given by [`BarrierBuilder::name`], for the thread dump.
    name: Option<&'static str>,
}

/// The error of a [`Barrier::wait`] that did not pass the barrier because
/// the barrier is, or became, broken (Python's `BrokenBarrierError`).
///
/// # Examples
///
/// ```
/// let b = sync_barrier::Barrier::new(2);
/// b.abort();
/// let err = b.wait().unwrap_err();
/// assert_eq!(err.to_string(), "barrier is broken");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BrokenBarrierError;

impl fmt::Display for BrokenBarrierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("barrier is broken")
    }
}

impl std::error::Error for BrokenBarrierError {}

/// Builds a [`Barrier`] with an action and a default timeout (Python's
/// `Barrier(parties, action=f, timeout=t)`).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use sync_barrier::Barrier;
///
/// let b = Barrier::builder(1).action(|| println!("all here")).timeout(Duration::from_secs(5)).build();
/// assert_eq!(b.wait(), Ok(0));
/// ```
#[must_use = "a builder does nothing until `build` is called"]
pub struct BarrierBuilder {
    parties: usize,
    timeout: Option<Duration>,
    action: Option<Arc<dyn Fn() + Send + Sync>>,
    /// The name given by [`BarrierBuilder::name`], for the thread dump.
    name: Option<&'static str>,
}

impl BarrierBuilder {
    /// The function run once per round, by the last thread to arrive,
    /// before any thread is released.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    ///
    /// let rounds = Arc::new(AtomicUsize::new(0));
    /// let r = rounds.clone();
    /// let b = sync_barrier::Barrier::builder(1).action(move || _ = r.fetch_add(1, Ordering::SeqCst)).build();
    /// b.wait().unwrap();
    /// b.wait().unwrap();
    /// assert_eq!(rounds.load(Ordering::SeqCst), 2);
    /// ```
    pub fn action(mut self, f: impl Fn() + Send + Sync + 'static) -> BarrierBuilder {
        self.action = Some(Arc::new(f));
        self
    }

    /// Names the barrier; the thread dump (`threading::dump()`) shows the
    /// name.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = sync_barrier::Barrier::builder(2).name("round").build();
    /// assert_eq!(b.name(), Some("round"));
    /// ```
    pub fn name(mut self, name: &'static str) -> BarrierBuilder {
        self.name = Some(name);
        self
    }

    /// The timeout of [`Barrier::wait`] (by default it waits forever).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let b = sync_barrier::Barrier::builder(2).timeout(Duration::from_millis(10)).build();
    /// assert!(b.wait().is_err()); // nobody else came: the barrier broke
    /// assert!(b.is_broken());
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> BarrierBuilder {
        self.timeout = Some(timeout);
        self
    }

    /// The barrier.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = sync_barrier::Barrier::builder(4).build();
    /// assert_eq!(b.parties(), 4);
    /// ```
    #[must_use]
    pub fn build(self) -> Barrier {
        Barrier {
            state: AtomicU64::new(0),
            parties: self.parties,
            timeout: self.timeout,
            action: self.action,
            name: self.name,
        }
    }
}

impl fmt::Debug for BarrierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BarrierBuilder")
            .field("parties", &self.parties)
            .field("timeout", &self.timeout)
            .field("action", &self.action.is_some())
            .finish()
    }
}

impl WaitTarget for Barrier {
    fn describe(&self) -> Target {
        let holder = Holder::Barrier { n_waiting: self.n_waiting(), parties: self.parties, broken: self.is_broken() };
        Target::new(Kind::Barrier, self as *const Barrier as usize, self.name, holder)
    }

    fn label(&self) -> (Kind, Option<&'static str>) {
        (Kind::Barrier, self.name)
    }
}

impl Barrier {
    /// The barrier's name, if its builder gave it one.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(sync_barrier::Barrier::new(1).name(), None);
    /// ```
    #[must_use]
    pub fn name(&self) -> Option<&'static str> {
        self.name
    }

    /// A barrier for `parties` whose generation number starts at `gen`
    /// (wrapping), for the loom models that start one next to the
    /// generation's wrap point.
    #[cfg(all(test, loom))]
    pub(crate) fn with_generation(parties: usize, gen: u64) -> Barrier {
        let b = Barrier::new(parties);
        // Relaxed: not shared yet; publishing it to other threads orders it.
        b.state.store(gen.wrapping_mul(GEN_ONE), Ordering::Relaxed);
        b
    }

    /// A barrier for `parties` threads, with no action and no timeout
    /// (Python's `Barrier(parties)`).
    ///
    /// # Panics
    ///
    /// If `parties` is 0 ("parties must be > 0") or more than 16,777,215.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = sync_barrier::Barrier::new(3);
    /// assert_eq!(b.parties(), 3);
    /// ```
    #[must_use]
    pub fn new(parties: usize) -> Barrier {
        Barrier::builder(parties).build()
    }

    /// A builder for a barrier of `parties` threads with an action or a
    /// default timeout.
    ///
    /// # Panics
    ///
    /// If `parties` is 0 ("parties must be > 0") or more than 16,777,215.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let b = sync_barrier::Barrier::builder(2).timeout(Duration::from_secs(1)).build();
    /// assert_eq!(b.parties(), 2);
    /// ```
    pub fn builder(parties: usize) -> BarrierBuilder {
        assert!(parties > 0, "parties must be > 0");
        assert!(parties <= MAX_PARTIES, "parties must be <= {MAX_PARTIES}");
        BarrierBuilder { parties, timeout: None, action: None, name: None }
    }

    /// The number of threads that must call `wait` to pass (Python's
    /// `parties`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(sync_barrier::Barrier::new(5).parties(), 5);
    /// ```
    #[inline]
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// The number of threads waiting in the current round (Python's
    /// `n_waiting`): 0 while the barrier is broken or resetting. A
    /// snapshot; never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = sync_barrier::Barrier::new(2);
    /// assert_eq!(b.n_waiting(), 0);
    /// ```
    pub fn n_waiting(&self) -> usize {
        let s = self.state.load(Ordering::Relaxed);
        if s & BROKEN != 0 && s & ACTION == 0 {
            0
        } else {
            // While the action runs, its thread is waiting too.
            (s & COUNT_MASK) as usize + usize::from(s & ACTION != 0)
        }
    }

    /// Whether the barrier is broken (Python's `broken`). A snapshot;
    /// never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = sync_barrier::Barrier::new(2);
    /// assert!(!b.is_broken());
    /// b.abort();
    /// assert!(b.is_broken());
    /// ```
    pub fn is_broken(&self) -> bool {
        self.state.load(Ordering::Relaxed) & BROKEN != 0
    }

    /// Waits until all parties have called `wait` (Python's `wait()`), for
    /// at most the builder's timeout if one was given; returns this
    /// thread's arrival index, `0..parties`, distinct within a round.
    ///
    /// # Errors
    ///
    /// [`BrokenBarrierError`] if the barrier is broken on arrival, breaks
    /// while waiting (abort, another party's timeout or panicking action),
    /// is reset while waiting, or this wait times out (which breaks it for
    /// everyone).
    ///
    /// # Panics
    ///
    /// If this thread runs the action and the action panics; the barrier is
    /// broken first.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = sync_barrier::Barrier::new(1);
    /// assert_eq!(b.wait(), Ok(0));
    /// ```
    #[inline]
    #[track_caller]
    pub fn wait(&self) -> Result<usize, BrokenBarrierError> {
        let deadline = match self.timeout {
            Some(d) => Deadline::after(d),
            None => Deadline::NEVER,
        };
        self.wait_until(deadline, Location::caller())
    }

    /// As [`wait`](Barrier::wait), with this `timeout` instead of the
    /// builder's (Python's `wait(timeout)`). Any duration up to
    /// `Duration::MAX` is accepted; `Duration::ZERO` breaks the barrier
    /// unless this thread is the last to arrive.
    ///
    /// # Errors
    ///
    /// As `wait`; a timeout breaks the barrier for every party.
    ///
    /// # Panics
    ///
    /// As `wait`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let b = sync_barrier::Barrier::new(2);
    /// assert!(b.wait_timeout(Duration::from_millis(10)).is_err());
    /// assert!(b.is_broken());
    /// ```
    #[inline]
    #[track_caller]
    pub fn wait_timeout(&self, timeout: Duration) -> Result<usize, BrokenBarrierError> {
        self.wait_until(Deadline::after(timeout), Location::caller())
    }

    fn wait_until(&self, deadline: Deadline, site: &'static Location<'static>) -> Result<usize, BrokenBarrierError> {
        // Acquire: pairs with the Release of the state changes below, so
        // what parties did before the barrier is visible after it.
        let mut s = self.state.load(Ordering::Acquire);
        loop {
            if s & (ACTION | RESETTING) != 0 {
                // The last round is still completing, or a reset is under
                // way: wait for the next generation (Python's `_enter`).
                self.park_on(s, Deadline::NEVER, site);
                s = self.state.load(Ordering::Acquire);
                continue;
            }
            if s & BROKEN != 0 {
                return Err(BrokenBarrierError);
            }
            let index = (s & COUNT_MASK) as usize;
            if index + 1 == self.parties {
                match self.complete_round(s) {
                    Ok(()) => return Ok(index),
                    Err(actual) => {
                        s = actual;
                        continue;
                    }
                }
            }
            // AcqRel: Release publishes this party's writes to the one that
            // completes the round; Acquire sees the earlier arrivals'.
            match self.state.compare_exchange_weak(s, s + 1, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => return self.wait_for_round(s & GEN_MASK, index, deadline, site),
                Err(actual) => s = actual,
            }
        }
    }

    /// The last arrival: runs the action, then starts the next generation.
    /// `Err` with the word seen if `s` was stale.
    fn complete_round(&self, s: u64) -> Result<(), u64> {
        let Some(action) = &self.action else {
            // AcqRel: Release publishes every party's writes (this one's
            // and, through the release sequence, the waiters') to the
            // waiters' Acquire loads; Acquire takes theirs for this thread.
            let old = self.state.compare_exchange(s, next_generation(s), Ordering::AcqRel, Ordering::Acquire)?;
            self.unpark_if(old);
            return Ok(());
        };
        // Acquire: the action sees what the waiters wrote before arriving.
        self.state.compare_exchange(s, s | ACTION, Ordering::Acquire, Ordering::Acquire)?;
        let guard = BreakOnPanic(self);
        action();
        std::mem::forget(guard);
        let mut cur = s | ACTION;
        loop {
            // Keep a BROKEN set by an `abort` during the action: it breaks
            // the next generation.
            let new = next_generation(cur) | (cur & BROKEN);
            // AcqRel: as above; the action's writes are published too.
            match self.state.compare_exchange_weak(cur, new, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => break,
                Err(actual) => cur = actual,
            }
        }
        self.unpark_if(cur);
        Ok(())
    }

    /// A counted waiter of generation `gen`: waits for the round to
    /// complete (`Ok(index)`) or the barrier to break.
    fn wait_for_round(
        &self,
        gen: u64,
        index: usize,
        deadline: Deadline,
        site: &'static Location<'static>,
    ) -> Result<usize, BrokenBarrierError> {
        let released = |s: u64| s & GEN_MASK != gen;
        let broken = |s: u64| s & (BROKEN | ACTION) == BROKEN;
        // Only the first arrivals spin: this party and the `index` before
        // it may be spinning, and a CPU must be left for the parties still
        // to come. With more parties than CPUs, short spins and a couple of
        // yields (which let such a party run on our CPU).
        let policy = if self.parties > wait::cpus() { SpinPolicy::BARRIER_OVERSUBSCRIBED } else { SpinPolicy::BARRIER };
        Waiter::new(&self.state, PARKED, deadline).spin(policy, index + 1, || {
            let s = self.state.load(Ordering::Relaxed);
            released(s) || broken(s)
        });
        // Whether the parking layer said the deadline passed (it is the
        // judge: its clock and ours may disagree by a tick).
        let mut timed_out = false;
        loop {
            // Acquire: pairs with the AcqRel step of `complete_round`.
            let s = self.state.load(Ordering::Acquire);
            if released(s) {
                return Ok(index);
            }
            if broken(s) {
                return Err(self.leave_broken());
            }
            if s & ACTION == 0 && (timed_out || deadline.has_passed()) {
                match self.break_on_timeout(gen) {
                    Some(r) => return r.map(|()| index),
                    None => continue,
                }
            }
            // While the action runs, the round is as good as complete: no
            // timeout applies.
            timed_out = self.park_on(s, if s & ACTION != 0 { Deadline::NEVER } else { deadline }, site);
        }
    }

    /// A counted waiter leaves a broken barrier: takes itself off the count;
    /// the last one out of a reset starts a fresh generation.
    fn leave_broken(&self) -> BrokenBarrierError {
        let mut cur = self.state.load(Ordering::Relaxed);
        loop {
            let new = if cur & COUNT_MASK == 1 && cur & RESETTING != 0 { next_generation(cur) } else { cur - 1 };
            // Release: orders this waiter's work before the fresh generation
            // that later arrivals acquire.
            match self.state.compare_exchange_weak(cur, new, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => break,
                Err(actual) => cur = actual,
            }
        }
        if cur & COUNT_MASK == 1 && cur & RESETTING != 0 {
            self.unpark_if(cur);
        }
        BrokenBarrierError
    }

    /// A waiter of generation `gen` whose deadline passed breaks the
    /// barrier and leaves. `None` if the action has started meanwhile (keep
    /// waiting); `Some(Ok)` if the round completed just in time.
    fn break_on_timeout(&self, gen: u64) -> Option<Result<(), BrokenBarrierError>> {
        let mut cur = self.state.load(Ordering::Acquire);
        loop {
            if cur & GEN_MASK != gen {
                return Some(Ok(()));
            }
            if cur & ACTION != 0 {
                return None;
            }
            if cur & BROKEN != 0 {
                return Some(Err(self.leave_broken()));
            }
            let new = ((cur | BROKEN) & !PARKED) - 1;
            // Acquire: a round completed meanwhile is seen above.
            match self.state.compare_exchange_weak(cur, new, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => break,
                Err(actual) => cur = actual,
            }
        }
        self.unpark_if(cur);
        Some(Err(BrokenBarrierError))
    }

    /// Breaks the barrier (Python's `abort()`): every thread waiting gets
    /// [`BrokenBarrierError`], and so does every later `wait` until
    /// [`reset`](Barrier::reset). If a round's action is running, that round
    /// still completes and the barrier is broken after it; an abort during
    /// a [`reset`](Barrier::reset) that waiters are still leaving leaves it
    /// broken, as in Python.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let b = Arc::new(sync_barrier::Barrier::new(2));
    /// let b2 = b.clone();
    /// let t = std::thread::spawn(move || b2.wait());
    /// while b.n_waiting() == 0 {
    ///     std::thread::yield_now();
    /// }
    /// b.abort();
    /// assert!(t.join().unwrap().is_err());
    /// ```
    pub fn abort(&self) {
        // Release: orders the aborter's writes before the waiters' error.
        let old = self
            .state
            .fetch_update(Ordering::Release, Ordering::Relaxed, |s| Some((s | BROKEN) & !(PARKED | RESETTING)));
        if let Ok(old) = old {
            self.unpark_if(old);
        }
    }

    /// Returns the barrier to its empty, unbroken state (Python's
    /// `reset()`): threads waiting now get [`BrokenBarrierError`]; threads
    /// arriving before they have all left wait, then join the fresh round.
    /// If a round's action is running, that round completes normally and
    /// the barrier is not broken after it.
    ///
    /// # Examples
    ///
    /// ```
    /// let b = sync_barrier::Barrier::new(1);
    /// b.abort();
    /// assert!(b.wait().is_err());
    /// b.reset();
    /// assert_eq!(b.wait(), Ok(0));
    /// ```
    pub fn reset(&self) {
        let old = self.state.fetch_update(Ordering::Release, Ordering::Relaxed, |s| {
            Some(if s & ACTION != 0 {
                s & !BROKEN
            } else if s & COUNT_MASK == 0 {
                next_generation(s)
            } else {
                (s | BROKEN | RESETTING) & !PARKED
            })
        });
        if let Ok(old) = old {
            if old & ACTION == 0 {
                self.unpark_if(old);
            }
        }
    }

    /// Marks the barrier broken after the action panicked; its waiters
    /// leave with an error.
    fn break_after_panic(&self) {
        let old =
            self.state.fetch_update(Ordering::Release, Ordering::Relaxed, |s| Some((s | BROKEN) & !(ACTION | PARKED)));
        if let Ok(old) = old {
            self.unpark_if(old);
        }
    }

    /// Sets `PARKED` if needed and parks until the word changes from `s`
    /// in anything but the count, or `deadline` passes. Returns at once if
    /// it already did; the caller re-reads the word. Returns whether the
    /// deadline passed.
    fn park_on(&self, s: u64, deadline: Deadline, site: &'static Location<'static>) -> bool {
        let what = WaitAs::new(self, "barrier wait", site);
        // SAFETY: the waiter is dropped before this call returns, while
        // its target is still borrowed (it is never leaked).
        unsafe { Waiter::new(&self.state, PARKED, deadline).ignoring(COUNT_MASK).on(what) }.park(s) == Wake::TimedOut
    }

    /// Wakes every parked thread if `old`, the word before a change that
    /// cleared `PARKED`, had it set.
    #[inline]
    fn unpark_if(&self, old: u64) {
        if old & PARKED != 0 {
            self.unpark_all();
        }
    }

    #[cold]
    fn unpark_all(&self) {
        wait::wake_all(&self.state);
    }
}

/// Breaks the barrier if the action unwinds.
struct BreakOnPanic<'a>(&'a Barrier);

impl Drop for BreakOnPanic<'_> {
    fn drop(&mut self) {
        self.0.break_after_panic();
    }
}

impl fmt::Debug for Barrier {
    /// `Barrier { parties: 3, n_waiting: 1, broken: false }`; never blocks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("parties", &self.parties)
            .field("n_waiting", &self.n_waiting())
            .field("broken", &self.is_broken())
            .finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    //! What `n_waiting` reads from each state of the word, and the name.
    use super::*;

    fn at(parties: usize, word: u64) -> Barrier {
        let b = Barrier::new(parties);
        b.state.store(word, Ordering::Relaxed);
        b
    }

    #[test]
    fn n_waiting_counts_the_waiters_and_the_action_runner_and_nobody_once_broken() {
        assert_eq!(at(4, 3).n_waiting(), 3);
        assert_eq!(at(4, GEN_ONE * 7 + 2).n_waiting(), 2, "the generation is not counted");
        // The last arrival runs the action: it waits too.
        assert_eq!(at(4, ACTION | 3).n_waiting(), 4);
        // Broken: nobody waits (the counted ones are leaving with an error),
        // unless the round's action still runs (an abort meanwhile breaks
        // the next generation).
        assert_eq!(at(4, BROKEN | 3).n_waiting(), 0);
        assert_eq!(at(4, BROKEN | RESETTING | 2).n_waiting(), 0);
        assert_eq!(at(4, BROKEN | ACTION | 3).n_waiting(), 4);
    }

    #[test]
    fn a_name_is_kept() {
        assert_eq!(Barrier::builder(2).name("round").build().name(), Some("round"));
        assert_eq!(Barrier::new(2).name(), None);
    }

    #[test]
    fn abort_breaks_for_good_and_ends_a_reset_in_progress() {
        // Broken, again: still broken.
        let b = Barrier::new(1);
        b.abort();
        b.abort();
        assert!(b.wait().is_err());
        let s = b.state.load(Ordering::Relaxed);
        assert_ne!(s & BROKEN, 0);
        // Two counted waiters leaving a reset, and waiters parked: an abort
        // keeps the count, breaks the barrier, and ends the reset (its last
        // leaver must not start a fresh generation), clearing PARKED as it
        // wakes them.
        let b = at(3, (GEN_ONE * 5) | BROKEN | RESETTING | PARKED | 2);
        b.abort();
        assert_eq!(b.state.load(Ordering::Relaxed), (GEN_ONE * 5) | BROKEN | 2);
        let _ = b.leave_broken();
        let _ = b.leave_broken();
        assert_eq!(b.state.load(Ordering::Relaxed), (GEN_ONE * 5) | BROKEN, "still broken, same generation");
        assert!(b.wait().is_err());
    }

    #[test]
    fn reset_and_a_panicking_action_move_the_word_as_documented() {
        let g = GEN_ONE * 9;
        // Reset with waiters counted: broken and resetting (again: no
        // change), PARKED cleared as they are woken.
        let b = at(3, g | PARKED | 2);
        b.reset();
        assert_eq!(b.state.load(Ordering::Relaxed), g | BROKEN | RESETTING | 2);
        b.reset();
        assert_eq!(b.state.load(Ordering::Relaxed), g | BROKEN | RESETTING | 2);
        // Reset of a broken barrier nobody waits at: a fresh generation.
        let b = at(3, g | BROKEN);
        b.reset();
        assert_eq!(b.state.load(Ordering::Relaxed), g + GEN_ONE);
        // Reset while the action runs: only BROKEN goes.
        let b = at(3, g | ACTION | BROKEN | 2);
        b.reset();
        assert_eq!(b.state.load(Ordering::Relaxed), g | ACTION | 2);
        // The action panicked: broken (keeping an abort's BROKEN), the
        // action and PARKED cleared, the count kept for the leavers.
        for before in [g | ACTION | 2, g | ACTION | BROKEN | PARKED | 2] {
            let b = at(3, before);
            b.break_after_panic();
            assert_eq!(b.state.load(Ordering::Relaxed), g | BROKEN | 2);
        }
    }

    #[test]
    fn reset_wakes_a_parked_waiter() {
        let b = Barrier::new(2);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| b.wait_timeout(std::time::Duration::from_secs(60)));
            // Parked, after its spin, once PARKED is set.
            let t0 = std::time::Instant::now();
            while b.state.load(Ordering::Relaxed) & PARKED == 0 {
                assert!(t0.elapsed() < std::time::Duration::from_secs(60), "the waiter never parked");
                std::thread::yield_now();
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
            let t0 = std::time::Instant::now();
            b.reset();
            assert!(waiter.join().unwrap().is_err());
            assert!(t0.elapsed() < std::time::Duration::from_secs(30), "woken by the reset, not its timeout");
        });
    }
}
