//! The wait path: the one place where every blocking call of the
//! workspace waits — `Lock`, `RLock`, `Event`, `Semaphore`,
//! `BoundedSemaphore`, `Barrier`, `Condition`, a thread's start and join,
//! the timer service.
//!
//! A primitive keeps its state in one atomic word, with one bit of it
//! meaning "threads may be parked on this word" (the *parked bit*). A
//! thread that must block builds a [`Waiter`] on the word and, in a loop
//! that is the primitive's own state machine, reads the word, decides, and
//! calls [`Waiter::park`] with the value it saw. `park` does the protocol
//! that every primitive shares:
//!
//! 1. gives up if the deadline has passed ([`Wake::TimedOut`]);
//! 2. announces the waiter: sets the parked bit in the value seen, with a
//!    compare-and-swap ([`Wake::Raced`] if a bit it watches moved meanwhile), so
//!    that whoever changes the word next sees the bit and wakes it;
//! 3. parks on the word's address, but only if the word (less the bits
//!    the waiter does not care about, see [`Waiter::ignoring`]) is still
//!    the value seen with the bit set: the check runs under the parking
//!    layer's queue lock, which every wake-up also takes, so a change
//!    between the decision and the sleep is either seen here (no sleep) or
//!    finds the waiter queued (it is woken): no lost wake-up;
//! 4. on a timeout, if this was the last thread parked on the word, clears
//!    the parked bit, under the same queue lock, so that the next change
//!    of the word does not go to the slow path for nobody. A thread about
//!    to park re-validates under that lock, so the clearing never strands
//!    anyone.
//!
//! Before parking, a waiter may spin ([`Waiter::spin`]) under one of the
//! [`SpinPolicy`]s, the workspace's one adaptive spin.
//!
//! The waking side is [`wake_all`], [`wake_one`], [`wake_n`] and
//! [`wake_filter`]: each runs its callback under the queue lock, after the
//! threads to wake are chosen and before they run, with an
//! [`UnparkResult`] that says whether threads are still parked, so that the
//! waker can clear or restore the parked bit in the same step.
//!
//! Two primitives need more than that, and say why where they use it: the
//! lock's fair hand-off passes the lock to the thread it wakes (a token in
//! [`wake_one`]'s callback), and `Condition` parks with its own queue
//! protocol ([`park_queued`]) and moves its waiters onto the lock's queue
//! ([`requeue`]).
//!
//! Sibling crates reach this module as `thread_core::__private::wait`; it
//! is not part of the supported API.

pub(crate) mod record;
mod spin;

pub use crate::park::{FilterOp, ParkToken, RequeueOp, UnparkResult, UnparkToken};
pub use crate::target::WaitTarget;
pub use record::{Recording, WaitAs};
pub use spin::{cpus, SpinPolicy};

use crate::clock::Deadline;
use crate::park::{self, ParkResult, DEFAULT_UNPARK_TOKEN};
use crate::shim::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::cell::Cell;
use std::ops::{BitAnd, BitOr, Not};

mod sealed {
    pub trait Sealed {}
}

/// An atomic word a primitive keeps its state in and its waiters park on
/// (the shim's `AtomicU8`, `AtomicUsize` and `AtomicU64`).
pub trait Word: sealed::Sealed {
    /// The word's value.
    type Value: Copy + Eq + BitAnd<Output = Self::Value> + BitOr<Output = Self::Value> + Not<Output = Self::Value>;

    /// No bit set.
    const ZERO: Self::Value;

    /// A relaxed load (the parking layer's lock orders what matters).
    fn load_relaxed(&self) -> Self::Value;

    /// A relaxed compare-and-swap from `current` to `new`; on failure, the
    /// value found.
    fn set_relaxed(&self, current: Self::Value, new: Self::Value) -> Result<(), Self::Value>;

    /// Clears `bits`, relaxed.
    fn clear_relaxed(&self, bits: Self::Value);
}

macro_rules! word {
    ($atomic:ty, $value:ty) => {
        impl sealed::Sealed for $atomic {}

        impl Word for $atomic {
            type Value = $value;

            const ZERO: $value = 0;

            #[inline]
            fn load_relaxed(&self) -> $value {
                self.load(Ordering::Relaxed)
            }

            #[inline]
            fn set_relaxed(&self, current: $value, new: $value) -> Result<(), $value> {
                self.compare_exchange(current, new, Ordering::Relaxed, Ordering::Relaxed).map(drop)
            }

            #[inline]
            fn clear_relaxed(&self, bits: $value) {
                self.fetch_and(!bits, Ordering::Relaxed);
            }
        }
    };
}

word!(AtomicU8, u8);
word!(AtomicUsize, usize);
word!(AtomicU64, u64);

/// The parking layer's key for a word: its address.
#[inline]
pub fn key<W: Word>(word: &W) -> usize {
    word as *const W as usize
}

/// How a [`Waiter::park`] (or [`park_queued`]) ended. The caller re-reads
/// the word in every case: none of them says by itself that the wait is
/// over, except what the primitive's own tokens say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wake {
    /// A waker woke this thread, handing it a token.
    Woken(UnparkToken),
    /// The word was not what the waiter saw when it came to sleep (the
    /// check under the queue lock): it did not sleep.
    Changed,
    /// The word moved before the waiter could announce itself in it: it
    /// did not queue. (A lock's waiter goes straight back to announcing,
    /// where after `Changed` it would spin again.)
    Raced,
    /// The deadline passed (before or during the sleep).
    TimedOut,
}

/// One thread's wait on a word: the word, its parked bit, the bits whose
/// changes do not concern the waiter, the token it parks with and its
/// deadline. See the module documentation for the protocol.
///
/// Given what it waits as ([`Waiter::on`]), the waiter records its wait for
/// the thread dump at its first park and clears the record when it is
/// dropped (see `record`).
#[derive(Debug)]
pub struct Waiter<'a, W: Word> {
    word: &'a W,
    parked: W::Value,
    ignore: W::Value,
    token: ParkToken,
    deadline: Deadline,
    what: Option<WaitAs<'a>>,
    recorded: Cell<bool>,
}

impl<W: Word> Drop for Waiter<'_, W> {
    #[inline]
    fn drop(&mut self) {
        if self.recorded.get() {
            record::clear();
        }
    }
}

impl<'a, W: Word> Waiter<'a, W> {
    /// A wait on `word`, whose parked bit is `parked`, until `deadline`.
    #[inline]
    pub fn new(word: &'a W, parked: W::Value, deadline: Deadline) -> Self {
        Waiter { word, parked, ignore: W::ZERO, token: ParkToken(0), deadline, what: None, recorded: Cell::new(false) }
    }

    /// What this wait is, for the thread dump: recorded at the first park,
    /// cleared when the waiter is dropped.
    ///
    /// # Safety
    ///
    /// The waiter must be dropped — not leaked (`mem::forget`, `Box::leak`,
    /// a reference cycle) — before `'a` ends: until it is dropped, a thread
    /// dump may read the target through the record.
    #[inline]
    pub unsafe fn on(mut self, what: WaitAs<'a>) -> Self {
        self.what = Some(what);
        self
    }

    /// Parks with `token`, which a waker's filter can read
    /// ([`wake_filter`]): an `Event` waiter's generation.
    #[inline]
    pub fn token(mut self, token: usize) -> Self {
        self.token = ParkToken(token);
        self
    }

    /// The waiter does not care about changes of `bits` (a barrier's
    /// count of arrivals, a lock's holder): it announces itself and sleeps
    /// through them.
    #[inline]
    pub fn ignoring(mut self, bits: W::Value) -> Self {
        self.ignore = bits;
        self
    }

    /// The deadline of this wait.
    #[inline]
    pub fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// Spins under `policy` until `done()` or the spin is over (never past
    /// the deadline); returns whether `done()` became true. `spinners` is
    /// how many threads, this one included, may be spinning on the word
    /// now: there is no spin without a CPU to spare for the thread that
    /// will change the word.
    #[inline]
    pub fn spin(&self, policy: SpinPolicy, spinners: usize, done: impl FnMut() -> bool) -> bool {
        spin(policy, spinners, self.deadline, done)
    }

    /// Announces this waiter in the word and parks while the word is
    /// `seen` with the parked bit set (the module documentation's steps 1
    /// to 4).
    pub fn park(&self, seen: W::Value) -> Wake {
        if self.deadline.has_passed() {
            return Wake::TimedOut;
        }
        if let (Some(what), false) = (self.what, self.recorded.get()) {
            record::set(what, self.deadline);
            self.recorded.set(true);
        }
        let (word, parked) = (self.word, self.parked);
        let watch = !self.ignore;
        if seen & parked == W::ZERO {
            // Relaxed: only announces a parker; the validation below re-reads
            // the word under the queue lock, which the waker also takes.
            // Bits the waiter ignores may move meanwhile (a lock's holder):
            // the announcement is retried on the word as it is then.
            let mut now = seen;
            while let Err(found) = word.set_relaxed(now, now | parked) {
                if found & watch != seen & watch {
                    return Wake::Raced;
                }
                now = found;
            }
        }
        let expected = (seen | parked) & watch;
        let validate = || word.load_relaxed() & watch == expected;
        let timed_out = |_key: usize, was_last: bool| {
            if was_last {
                // Under the queue lock: nobody else is parked on the word.
                word.clear_relaxed(parked);
            }
        };
        // SAFETY: the key is the word's own address; the callbacks only
        // touch that atomic word and neither panic nor call the layer.
        let r = unsafe { park::park(key(word), validate, || {}, timed_out, self.token, self.deadline) };
        match r {
            ParkResult::Unparked(token) => Wake::Woken(token),
            ParkResult::Invalid => Wake::Changed,
            ParkResult::TimedOut => Wake::TimedOut,
        }
    }
}

/// The spin of [`Waiter::spin`], for a wait that parks through
/// [`park_queued`] (a `Condition`'s waiter, once it has let its lock go)
/// or that builds its waiter only if the spin fails (a lock). `done` is
/// not called again once it has returned true.
#[inline]
pub fn spin(policy: SpinPolicy, spinners: usize, deadline: Deadline, done: impl FnMut() -> bool) -> bool {
    spin::spin_until(policy, spinners, deadline, done)
}

/// Parks on `word`'s address with a queue protocol of the caller's own:
/// `on_queue` runs under the queue lock (returning false: no sleep, and
/// [`Wake::Changed`]), `before_sleep` after the thread is queued and the
/// lock let go, `timed_out(was_last)` under the queue lock after the thread
/// left the queue on a timeout. `Condition` waits this way: its waiters are
/// counted in a word of their own rather than announced by a bit, because
/// a notify must know how many there are and a requeue moves them to the
/// lock's queue.
///
/// # Safety
///
/// `on_queue` and `timed_out` must not panic nor call any function of
/// this module; `before_sleep` must not park on `word`.
pub unsafe fn park_queued<W: Word>(
    word: &W,
    on_queue: impl FnOnce() -> bool,
    before_sleep: impl FnOnce(),
    timed_out: impl FnOnce(bool),
    deadline: Deadline,
) -> Wake {
    let timed_out = |_key: usize, was_last: bool| timed_out(was_last);
    // SAFETY: the caller keeps the callbacks' contract, which is the layer's.
    let r = unsafe { park::park(key(word), on_queue, before_sleep, timed_out, ParkToken(0), deadline) };
    match r {
        ParkResult::Unparked(token) => Wake::Woken(token),
        ParkResult::Invalid => Wake::Changed,
        ParkResult::TimedOut => Wake::TimedOut,
    }
}

/// Wakes every thread parked on `word`; returns how many.
#[inline]
pub fn wake_all<W: Word>(word: &W) -> usize {
    // SAFETY: the key is the word's address; no callback.
    unsafe { park::unpark_all(key(word), DEFAULT_UNPARK_TOKEN) }
}

/// Wakes the oldest thread parked on `word`, if any. `callback` runs under
/// the queue lock once the thread is chosen and before it runs, and returns
/// the token it receives.
///
/// # Safety
///
/// `callback` must not panic nor call any function of this module.
#[inline]
pub unsafe fn wake_one<W: Word>(word: &W, callback: impl FnOnce(UnparkResult) -> UnparkToken) -> UnparkResult {
    // SAFETY: the caller keeps the callback's contract, which is the layer's.
    unsafe { park::unpark_one(key(word), callback) }
}

/// Wakes up to `n` of the threads parked on `word`, oldest first.
/// `callback` runs as in [`wake_one`], and its token goes to every woken
/// thread.
///
/// # Safety
///
/// As [`wake_one`].
#[inline]
pub unsafe fn wake_n<W: Word>(word: &W, n: usize, callback: impl FnOnce(UnparkResult) -> UnparkToken) -> UnparkResult {
    let mut left = n;
    let countdown = move |_| {
        if left == 0 {
            return FilterOp::Stop;
        }
        left -= 1;
        FilterOp::Unpark
    };
    // SAFETY: the countdown neither panics nor calls the layer; the caller
    // keeps the callback's contract.
    unsafe { park::unpark_filter(key(word), countdown, callback) }
}

/// Wakes the threads parked on `word` that `filter` chooses by their park
/// token ([`Waiter::token`]), oldest first; `callback` as in [`wake_one`].
///
/// # Safety
///
/// `filter` and `callback` must not panic nor call any function of this
/// module.
#[inline]
pub unsafe fn wake_filter<W: Word>(
    word: &W,
    filter: impl FnMut(ParkToken) -> FilterOp,
    callback: impl FnOnce(UnparkResult) -> UnparkToken,
) -> UnparkResult {
    // SAFETY: the caller keeps the callbacks' contract, which is the layer's.
    unsafe { park::unpark_filter(key(word), filter, callback) }
}

/// Moves the threads parked on `from` to the queue of the key `to` (another
/// word's [`key`]), or wakes the first, as `validate` decides under both
/// queue locks; `callback` runs under them too and returns the token for a
/// woken thread. `Condition`'s `notify_all` moves its waiters onto the
/// lock's queue this way, so that they are woken one per release instead of
/// all at once.
///
/// # Safety
///
/// `validate` and `callback` must not panic nor call any function of this
/// module; `to` must be the key of a word whose waiters expect threads
/// requeued from `from` (their tokens included).
#[inline]
pub unsafe fn requeue<W: Word>(
    from: &W,
    to: usize,
    validate: impl FnOnce() -> RequeueOp,
    callback: impl FnOnce(RequeueOp, UnparkResult) -> UnparkToken,
) -> UnparkResult {
    // SAFETY: the caller keeps the contract, which is the layer's.
    unsafe { park::unpark_requeue(key(from), to, validate, callback) }
}

#[cfg(all(test, not(loom)))]
mod tests {
    //! The protocol every primitive waits through, on the real parking
    //! layer: the announcement, the three ways back without a wake-up, the
    //! wake-ups and their tokens, the last timed-out waiter's clean-up, and
    //! the record a recorded wait leaves while it lasts.
    use super::*;
    use crate::target::{Holder, Kind, Target};
    use std::panic::Location;
    use std::sync::atomic::AtomicUsize;
    use std::time::Duration;

    const P: usize = 0b1;
    const LONG: Duration = Duration::from_secs(60);

    /// Waits (bounded) until `cond` holds.
    fn until(cond: impl Fn() -> bool) {
        let t0 = std::time::Instant::now();
        while !cond() {
            assert!(t0.elapsed() < LONG, "condition never came");
            std::thread::yield_now();
        }
    }

    /// The tokens of the threads queued on `w` now, oldest first (a filter
    /// that wakes nobody).
    fn queued(w: &AtomicUsize) -> Vec<usize> {
        let mut tokens = Vec::new();
        // SAFETY: the callbacks touch only a local.
        unsafe {
            wake_filter(
                w,
                |t| {
                    tokens.push(t.0);
                    FilterOp::Skip
                },
                |_| UnparkToken(0),
            );
        }
        tokens
    }

    /// A thread that parks on `w` (already marked) with `token` until it
    /// is woken, and returns the wake-up's token.
    fn parker(w: &AtomicUsize, token: usize) -> UnparkToken {
        loop {
            if let Wake::Woken(t) = Waiter::new(w, P, Deadline::after(LONG)).token(token).park(P) {
                return t;
            }
        }
    }

    struct Thing;
    impl WaitTarget for Thing {
        fn describe(&self) -> Target {
            Target::new(Kind::Event, self as *const Thing as usize, Some("thing"), Holder::Unknown)
        }
        fn label(&self) -> (Kind, Option<&'static str>) {
            (Kind::Event, Some("thing"))
        }
    }

    /// This thread's record, as the dump sees it.
    fn my_wait() -> Option<(&'static str, Kind)> {
        let me = crate::ident::get_ident();
        record::snapshot(true).into_iter().find(|s| s.ident == me).and_then(|s| s.wait).map(|w| (w.op, w.target.kind))
    }

    #[test]
    fn the_key_is_the_words_address() {
        let w = AtomicUsize::new(0);
        assert_eq!(key(&w), &w as *const AtomicUsize as usize);
    }

    #[test]
    fn a_passed_deadline_returns_at_once_and_leaves_the_word() {
        let w = AtomicUsize::new(4);
        let passed = Deadline::after(Duration::ZERO);
        let waiter = Waiter::new(&w, P, passed);
        assert_eq!(waiter.deadline(), passed);
        assert_eq!(waiter.park(4), Wake::TimedOut);
        assert_eq!(w.load(Ordering::Relaxed), 4);
    }

    #[test]
    fn a_word_that_moved_before_the_announcement_is_a_race() {
        let w = AtomicUsize::new(8);
        assert_eq!(Waiter::new(&w, P, Deadline::NEVER).park(4), Wake::Raced);
        assert_eq!(w.load(Ordering::Relaxed), 8, "no bit set on a word that moved");
    }

    #[test]
    fn a_word_that_moved_after_the_announcement_is_a_change() {
        // Already announced (the bit is in `seen`): no CAS; the word is not
        // what was seen, so the validation fails and nobody sleeps.
        let w = AtomicUsize::new(8 | P);
        assert_eq!(Waiter::new(&w, P, Deadline::NEVER).park(4 | P), Wake::Changed);
        assert_eq!(w.load(Ordering::Relaxed), 8 | P);
    }

    #[test]
    fn ignored_bits_fail_neither_the_announcement_nor_the_validation() {
        let w = AtomicUsize::new(8);
        let waiter = Waiter::new(&w, P, Deadline::after(Duration::from_millis(30))).ignoring(8);
        // Seen without bit 8, which moved since: it is ignored, so the
        // waiter announces itself on the word as it is and sleeps until its
        // deadline, and, the last one, clears the bit.
        assert_eq!(waiter.park(0), Wake::TimedOut);
        assert_eq!(w.load(Ordering::Relaxed), 8);
        // A watched bit that moved is a race.
        assert_eq!(Waiter::new(&w, P, Deadline::NEVER).ignoring(8).park(2), Wake::Raced);
        assert_eq!(w.load(Ordering::Relaxed), 8);
        w.store(8 | P, Ordering::Relaxed);
        let waiter = Waiter::new(&w, P, Deadline::after(Duration::from_millis(30))).ignoring(8);
        assert_eq!(waiter.park(P), Wake::TimedOut);
        assert_eq!(w.load(Ordering::Relaxed), 8);
    }

    #[test]
    fn a_waiter_that_times_out_while_another_sleeps_leaves_the_bit() {
        let w = AtomicUsize::new(0);
        std::thread::scope(|s| {
            w.store(P, Ordering::Relaxed);
            let long = s.spawn(|| parker(&w, 0));
            until(|| queued(&w).len() == 1);
            assert_eq!(Waiter::new(&w, P, Deadline::after(Duration::from_millis(20))).park(P), Wake::TimedOut);
            assert_eq!(w.load(Ordering::Relaxed), P, "another waiter still sleeps");
            assert_eq!(wake_all(&w), 1);
            assert_eq!(long.join().unwrap(), UnparkToken(0));
        });
    }

    #[test]
    fn wake_one_hands_its_token_and_says_what_is_left() {
        let w = AtomicUsize::new(0);
        std::thread::scope(|s| {
            // The first parker announces itself on the bare word.
            let a = s.spawn(|| Waiter::new(&w, P, Deadline::after(LONG)).token(1).park(0));
            until(|| queued(&w) == [1]);
            assert_eq!(w.load(Ordering::Relaxed), P);
            let b = s.spawn(|| parker(&w, 2));
            until(|| queued(&w) == [1, 2]);
            let mut seen = None;
            // SAFETY: the callback touches nothing.
            let r = unsafe {
                wake_one(&w, |r| {
                    seen = Some(r);
                    UnparkToken(7)
                })
            };
            assert_eq!(seen, Some(r));
            assert_eq!((r.unparked_threads, r.have_more_threads), (1, true));
            assert_eq!(a.join().unwrap(), Wake::Woken(UnparkToken(7)), "oldest first");
            // The filter sees the parked threads' tokens.
            let mut tokens = Vec::new();
            // SAFETY: the callbacks touch only locals.
            let r = unsafe {
                wake_filter(
                    &w,
                    |t| {
                        tokens.push(t.0);
                        FilterOp::Unpark
                    },
                    |_| UnparkToken(9),
                )
            };
            assert_eq!((r.unparked_threads, r.have_more_threads), (1, false));
            assert_eq!(tokens, [2]);
            assert_eq!(b.join().unwrap(), UnparkToken(9));
        });
    }

    #[test]
    fn wake_n_wakes_at_most_n() {
        let w = AtomicUsize::new(0);
        std::thread::scope(|s| {
            w.store(P, Ordering::Relaxed);
            let hs: Vec<_> = (0..3).map(|_| s.spawn(|| parker(&w, 0))).collect();
            until(|| queued(&w).len() == 3);
            // SAFETY: the callback touches nothing.
            let r = unsafe { wake_n(&w, 2, |_| UnparkToken(0)) };
            assert_eq!((r.unparked_threads, r.have_more_threads), (2, true));
            // SAFETY: as above.
            let r = unsafe { wake_n(&w, 0, |_| UnparkToken(0)) };
            assert_eq!(r.unparked_threads, 0);
            assert_eq!(wake_all(&w), 1);
            for h in hs {
                assert_eq!(h.join().unwrap(), UnparkToken(0));
            }
        });
    }

    #[test]
    fn a_recorded_wait_is_seen_while_it_lasts_and_only_then() {
        let w = AtomicUsize::new(0);
        let thing = Thing;
        let site = Location::caller();
        assert_eq!(my_wait(), None);
        {
            // SAFETY: dropped at the end of this block, while `thing` lives.
            let waiter =
                unsafe { Waiter::new(&w, P, Deadline::after(Duration::ZERO)).on(WaitAs::new(&thing, "wait", site)) };
            // A wait that never parks leaves no record.
            assert_eq!(waiter.park(0), Wake::TimedOut);
            assert_eq!(my_wait(), None);
        }
        std::thread::scope(|s| {
            let t = s.spawn(|| {
                let me = crate::ident::get_ident();
                // SAFETY: dropped before the closure returns.
                let waiter = unsafe { Waiter::new(&w, P, Deadline::after(LONG)).on(WaitAs::new(&thing, "wait", site)) };
                let r = waiter.park(0);
                drop(waiter);
                (me, r, my_wait())
            });
            until(|| record::snapshot(true).iter().any(|s| s.wait.as_ref().is_some_and(|w| w.op == "wait")));
            let blocked = record::snapshot(true);
            let entry = blocked.iter().find_map(|s| s.wait.as_ref()).unwrap();
            assert_eq!(
                (entry.target.kind, entry.target.name.as_deref(), entry.site),
                (Kind::Event, Some("thing"), site)
            );
            until(|| queued(&w).len() == 1);
            assert_eq!(wake_all(&w), 1);
            let (me, r, after) = t.join().unwrap();
            assert_eq!(r, Wake::Woken(UnparkToken(0)));
            assert_eq!(after, None, "the record goes with the waiter");
            assert!(record::snapshot(true).iter().all(|s| s.ident != me));
        });
    }

    #[test]
    fn a_snapshot_of_the_blocked_lists_only_waits() {
        let thing = Thing;
        let me = crate::ident::get_native_id();
        // This thread has a slot (it recorded before) but no wait.
        {
            // SAFETY: dropped at the end of the block, while `thing` lives.
            let _r = unsafe { Recording::new(WaitAs::new(&thing, "wait", Location::caller()), Deadline::NEVER) };
            assert_eq!(my_wait(), Some(("wait", Kind::Event)));
            assert_eq!(format!("{_r:?}"), "Recording");
        }
        assert_eq!(my_wait(), None);
        assert!(record::snapshot(false).iter().any(|s| s.native_id == me && s.wait.is_none()));
        assert!(record::snapshot(true).iter().all(|s| s.wait.is_some()));
        // A thread's slot goes when the thread ends.
        let gone = std::thread::scope(|s| {
            s.spawn(|| {
                // SAFETY: dropped at once, while `thing` lives.
                drop(unsafe { Recording::new(WaitAs::new(&thing, "wait", Location::caller()), Deadline::NEVER) });
                crate::ident::get_native_id()
            })
            .join()
            .unwrap()
        });
        assert!(record::snapshot(false).iter().all(|s| s.native_id != gone));
    }

    #[test]
    fn a_wait_as_prints_its_operation_and_site() {
        let thing = Thing;
        let site = Location::caller();
        let text = format!("{:?}", WaitAs::new(&thing, "acquire", site));
        assert!(text.starts_with("WaitAs { op: \"acquire\", site: "), "{text}");
        assert!(text.contains(&format!("line: {}", site.line())), "{text}");
    }

    #[test]
    fn a_waiters_spin_reports_success() {
        let w = AtomicUsize::new(0);
        let waiter = Waiter::new(&w, P, Deadline::NEVER);
        assert!(waiter.spin(SpinPolicy::BRIEF, 1, || true));
        assert!(!waiter.spin(SpinPolicy::BRIEF, 1, || false));
        assert!(spin(SpinPolicy::BRIEF, 1, Deadline::NEVER, || true));
        assert!(!spin(SpinPolicy::BRIEF, 1, Deadline::NEVER, || false));
    }
}
