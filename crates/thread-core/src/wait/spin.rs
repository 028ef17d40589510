//! The one spin policy: what a waiter does before it parks (every wait of
//! the workspace goes through `Waiter::spin`, which calls [`spin_until`]).
//!
//! Parking and being unparked cost two system calls and two context
//! switches, while a store on another running core reaches a spinning
//! waiter in well under a microsecond. So a waiter first re-reads its word
//! for a short *time* (not a number of iterations, which would vary with
//! the CPU's pause latency), and only while that can pay:
//!
//! * the caller says how many threads (itself included) may be spinning on
//!   the word now, and it spins only if the machine has more CPUs than
//!   that, leaving one for the thread it waits for;
//! * on a machine whose CPUs are all busy, the other thread waits for a CPU
//!   while we spin, and a parked thread is woken sooner (the scheduler
//!   favours sleepers) than a spinning one gets its turn. So an *adaptive*
//!   policy keeps, per thread and per kind of primitive, a [`SpinHistory`]:
//!   after [`FAILS_TO_STOP`] spins in a row that ended in a park the thread
//!   parks at once, trying a spin again (a *probe*) after 1, 2, 4 ... 32
//!   waits (the gap doubling after every probe that did not pay), and spins
//!   again for good as soon as one pays;
//! * then, if the policy says so, a few `sched_yield`s, each followed by a
//!   look: on a machine with more runnable threads than CPUs they let the
//!   thread we wait for run on our CPU.
//!
//! The policies are the constants of [`SpinPolicy`], one per kind of wait;
//! the reasons for their figures are beside them, and the measurements
//! behind them are in the book's performance chapter.
//!
//! Under loom the spin is one look at the word, so a model explores both a
//! waiter that catches the store while spinning and one that parks. (No
//! yield: loom does not switch back to a yielded thread while others can
//! run, which would hide the interleavings where the waiter goes on first.)

use crate::clock::Deadline;
#[cfg(not(loom))]
use std::cell::Cell;
use std::time::Duration;
#[cfg(not(loom))]
use std::time::Instant;

/// How a waiter spins before it parks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpinPolicy {
    /// How long to re-read the word while spins pay.
    pub spin_for: Duration,
    /// How long a probe re-reads it, for a thread whose spins stopped
    /// paying (adaptive policies only).
    pub probe_for: Duration,
    /// `sched_yield`s after a spin that did not catch the change.
    pub yields: u32,
    /// Whether the spin backs off: looks at the word only after 2, 4 and 8
    /// pauses (`spin_for` is not used) instead of after every one,
    /// so that threads spinning on a contended word do not keep pulling
    /// its cache line away from the thread that holds it.
    backoff: bool,
    /// Which history the policy adapts with; `None`: it always spins (a
    /// policy without one backs off).
    #[cfg_attr(loom, allow(dead_code))]
    history: Option<usize>,
}

impl SpinPolicy {
    /// For a lock or a semaphore, whose holder normally lets go within a
    /// microsecond, and for a thread's start and end: a short spin, then
    /// a few yields (which, with more threads than CPUs, let the holder
    /// run). Never stops spinning: a contended lock's spins pay even when
    /// some end in a park.
    pub const BRIEF: SpinPolicy = SpinPolicy {
        spin_for: Duration::from_micros(1),
        probe_for: Duration::ZERO,
        yields: 7,
        backoff: true,
        history: None,
    };
    /// For a thread waiting on an `Event`, whose partner may be parked: a
    /// spin must outlast the time a parked partner takes to wake and answer
    /// (a wake-up is 15–20 µs; shorter spins let two threads that hand an
    /// event back and forth fall into parking every time).
    pub const EVENT: SpinPolicy = SpinPolicy::wake(0);
    /// As [`EVENT`](Self::EVENT), for a `Condition`'s waiter after it has let
    /// the lock go.
    pub const CONDITION: SpinPolicy = SpinPolicy::wake(1);
    /// As [`EVENT`](Self::EVENT), for a `Barrier` with a CPU for every party.
    pub const BARRIER: SpinPolicy = SpinPolicy::wake(2);
    /// For a `Barrier` with more parties than CPUs: short spins, shorter
    /// probes (a long one burns the CPU a party still to come waits for),
    /// then two yields, which let such a party run.
    pub const BARRIER_OVERSUBSCRIBED: SpinPolicy = SpinPolicy {
        spin_for: Duration::from_micros(20),
        probe_for: Duration::from_micros(2),
        yields: 2,
        backoff: false,
        history: Some(2),
    };

    const fn wake(history: usize) -> SpinPolicy {
        SpinPolicy {
            spin_for: Duration::from_micros(50),
            probe_for: Duration::from_micros(50),
            yields: 0,
            backoff: false,
            history: Some(history),
        }
    }
}

/// How many histories the policies use (one per adaptive kind of wait).
#[cfg(not(loom))]
const HISTORIES: usize = 3;

#[cfg(not(loom))]
std::thread_local! {
    /// This thread's spin histories, one per kind of adaptive wait, so that
    /// spins that pay on one (an event handed back and forth) and not on
    /// another (a barrier whose parties are descheduled) do not mix.
    static HISTORY: [SpinHistory; HISTORIES] = const {
        [SpinHistory::new(), SpinHistory::new(), SpinHistory::new()]
    };
}

/// How many re-reads between two looks at the clock.
#[cfg(not(loom))]
const READS_PER_CLOCK: u32 = 32;
/// After this many vain spins in a row, a thread stops spinning.
#[cfg(not(loom))]
pub(crate) const FAILS_TO_STOP: u8 = 2;
/// While it does not spin, a thread still tries a spin after 1, 2, 4 ...
/// up to `1 << MAX_PROBE_SHIFT` waits, doubling the gap after every try
/// that did not pay.
#[cfg(not(loom))]
const MAX_PROBE_SHIFT: u8 = 5;

/// Whether a thread's recent spins on one kind of primitive paid.
#[cfg(not(loom))]
#[derive(Debug, Default)]
pub(crate) struct SpinHistory {
    /// Spins in a row that ended in a park (saturating).
    fails: Cell<u8>,
    /// Waits since the last spin, while not spinning.
    skipped: Cell<u8>,
}

#[cfg(not(loom))]
impl SpinHistory {
    /// A history with no failed spin.
    pub(crate) const fn new() -> Self {
        SpinHistory { fails: Cell::new(0), skipped: Cell::new(0) }
    }

    /// How long this wait should spin, if at all.
    fn budget(&self, policy: SpinPolicy) -> Option<Duration> {
        let fails = self.fails.get();
        if fails < FAILS_TO_STOP {
            return Some(policy.spin_for);
        }
        // Every vain probe doubles the number of waits to the next one.
        let interval = 1u8 << (fails - FAILS_TO_STOP).min(MAX_PROBE_SHIFT);
        let skipped = self.skipped.get();
        if skipped >= interval {
            self.skipped.set(0);
            Some(policy.probe_for)
        } else {
            self.skipped.set(skipped + 1);
            None
        }
    }

    fn paid(&self, paid: bool) {
        self.fails.set(if paid { 0 } else { self.fails.get().saturating_add(1) });
    }
}

/// Re-reads `done` until it returns true or the spin is over: for the
/// policy's `spin_for` (or, for an adaptive policy, what this thread's
/// history allows), then through its yields. It does not spin unless the
/// machine has more CPUs than `spinners`, the threads (the caller included)
/// that may be spinning on the word now, nor past `deadline` (one already
/// passed means no spin, and no failure counted). Returns whether `done`
/// became true; once it has returned true it is not called again, so it
/// may act (a lock's spin takes the lock in it). Under loom: one look at
/// the word (see the module documentation).
pub(crate) fn spin_until(
    policy: SpinPolicy,
    spinners: usize,
    deadline: Deadline,
    mut done: impl FnMut() -> bool,
) -> bool {
    #[cfg(loom)]
    {
        let _ = (policy, spinners, deadline);
        done()
    }
    #[cfg(not(loom))]
    {
        // A backing-off spin is a dozen pauses: it reads no clock unless
        // there is a deadline to keep (a clock read costs as much as the
        // spin, and a contended lock enters it at every acquisition).
        if policy.backoff && deadline.instant().is_none() {
            let caught = cpus() > spinners && back_off(&mut done);
            return caught || yields(policy, &mut done);
        }
        // One clock read serves both the deadline and the spin's start.
        let start = Instant::now();
        let left = deadline.instant().map(|at| at.saturating_duration_since(start));
        if left == Some(Duration::ZERO) {
            return false;
        }
        let caught = if cpus() <= spinners {
            false
        } else {
            match policy.history {
                // The policies without a history back off (BRIEF).
                None => back_off(&mut done),
                Some(slot) => HISTORY.with(|h| {
                    let h = &h[slot];
                    let Some(budget) = h.budget(policy) else {
                        return false;
                    };
                    let caught = spin_for(budget, left, start, &mut done);
                    h.paid(caught);
                    caught
                }),
            }
        };
        caught || yields(policy, &mut done)
    }
}

/// The policy's yields after a spin that did not pay, each followed by a
/// look; whether one saw `done`.
#[cfg(not(loom))]
fn yields(policy: SpinPolicy, done: &mut impl FnMut() -> bool) -> bool {
    (0..policy.yields).any(|_| {
        crate::shim::yield_now();
        done()
    })
}

/// Re-reads `done` for `budget` (cut to `left`, the time to the deadline),
/// measured from `start`.
#[cfg(not(loom))]
fn spin_for(budget: Duration, left: Option<Duration>, start: Instant, done: &mut impl FnMut() -> bool) -> bool {
    let budget = left.map_or(budget, |left| budget.min(left));
    loop {
        for _ in 0..READS_PER_CLOCK {
            crate::shim::spin_loop();
            if done() {
                return true;
            }
        }
        if start.elapsed() >= budget {
            return false;
        }
    }
}

/// Rounds of a backing-off spin: 2, 4 and 8 pauses, each followed by a
/// look. A few rounds catch a holder that lets go within a microsecond on
/// the other core; more would burn, on a machine with more threads than
/// CPUs, the CPU that a descheduled holder needs (the yields that follow
/// give it away instead).
#[cfg(not(loom))]
const BACKOFF_ROUNDS: u32 = 3;

/// Looks at the word after 2, 4 and 8 pauses ([`BACKOFF_ROUNDS`]): a few
/// microseconds at most, so no clock bounds it (a deadline is checked by
/// the caller before and after).
#[cfg(not(loom))]
fn back_off(done: &mut impl FnMut() -> bool) -> bool {
    (1..=BACKOFF_ROUNDS).any(|round| {
        for _ in 0..(1u32 << round) {
            crate::shim::spin_loop();
        }
        done()
    })
}

/// The number of CPUs this process may use (asked once).
pub fn cpus() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static CPUS: AtomicUsize = AtomicUsize::new(0);
    // Relaxed: a cache of a fact that does not change; racing initialisers
    // store the same value.
    match CPUS.load(Ordering::Relaxed) {
        0 => {
            let n = std::thread::available_parallelism().map_or(1, |n| n.get());
            CPUS.store(n, Ordering::Relaxed);
            n
        }
        n => n,
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    const P: SpinPolicy = SpinPolicy {
        spin_for: Duration::from_micros(30),
        probe_for: Duration::from_micros(3),
        yields: 0,
        backoff: false,
        history: Some(0),
    };

    /// The calling thread's failed spins in history 0, which `P` uses.
    fn fails() -> u8 {
        HISTORY.with(|h| h[0].fails.get())
    }

    /// Which of the next `n` waits would spin, and for how long.
    fn budgets(h: &SpinHistory, n: usize) -> Vec<Option<Duration>> {
        (0..n).map(|_| h.budget(P)).collect()
    }

    #[test]
    fn spins_until_two_vain_spins_then_probes_at_doubling_gaps() {
        let h = SpinHistory::new();
        assert_eq!(h.budget(P), Some(P.spin_for));
        h.fails.set(FAILS_TO_STOP);
        // First probe after one skipped wait.
        assert_eq!(budgets(&h, 2), [None, Some(P.probe_for)]);
        // That probe failed: the gap doubles.
        h.fails.set(FAILS_TO_STOP + 1);
        assert_eq!(budgets(&h, 3), [None, None, Some(P.probe_for)]);
        // The gap stops growing at 1 << MAX_PROBE_SHIFT waits.
        h.fails.set(u8::MAX);
        let gap = 1usize << MAX_PROBE_SHIFT;
        let b = budgets(&h, gap + 1);
        assert!(b[..gap].iter().all(Option::is_none));
        assert_eq!(b[gap], Some(P.probe_for));
    }

    #[test]
    fn a_spin_that_pays_resets_the_history() {
        let spun = std::thread::spawn(|| {
            HISTORY.with(|h| h[0].fails.set(u8::MAX));
            // Keep probing until a probe runs: `done` is true at once.
            let mut caught = false;
            for _ in 0..=(1 << MAX_PROBE_SHIFT) {
                caught |= spin_until(P, 0, Deadline::NEVER, || true);
            }
            (caught, fails())
        })
        .join()
        .unwrap();
        assert_eq!(spun, (true, 0));
    }

    #[test]
    fn a_vain_spin_ends_and_counts_as_a_failure() {
        let (caught, fails, took) = std::thread::spawn(|| {
            let t0 = Instant::now();
            let caught = spin_until(P, 0, Deadline::NEVER, || false);
            (caught, fails(), t0.elapsed())
        })
        .join()
        .unwrap();
        assert!(!caught);
        assert_eq!(fails, 1);
        // 30 µs of budget; the bound only catches a spin that does not end.
        assert!(took < Duration::from_secs(5), "spun for {took:?}");
    }

    #[test]
    fn the_deadline_cuts_a_spin_short() {
        const LONG: SpinPolicy =
            SpinPolicy { spin_for: Duration::from_secs(60), probe_for: Duration::from_secs(60), ..P };
        let took = std::thread::spawn(|| {
            let t0 = Instant::now();
            assert!(!spin_until(LONG, 0, Deadline::after(Duration::from_millis(20)), || false));
            t0.elapsed()
        })
        .join()
        .unwrap();
        // At least 0.6x the deadline, far below the minute of budget.
        assert!(took >= Duration::from_millis(12), "ended after {took:?}");
        assert!(took < Duration::from_secs(30), "ended after {took:?}");
    }

    #[test]
    fn a_passed_deadline_neither_spins_nor_counts() {
        let (looks, fails) = std::thread::spawn(|| {
            let mut looks = 0;
            assert!(!spin_until(P, 0, Deadline::after(Duration::ZERO), || {
                looks += 1;
                true
            }));
            (looks, fails())
        })
        .join()
        .unwrap();
        assert_eq!((looks, fails), (0, 0));
    }

    #[test]
    fn never_spins_without_a_spare_cpu() {
        let mut looks = 0;
        assert!(!spin_until(P, cpus(), Deadline::NEVER, || {
            looks += 1;
            true
        }));
        assert_eq!(looks, 0);
    }

    #[test]
    fn yields_look_after_a_spin_that_did_not_pay() {
        // No spare CPU: no spin, but BRIEF's yields each look once.
        let mut looks = 0;
        assert!(!spin_until(SpinPolicy::BRIEF, cpus(), Deadline::NEVER, || {
            looks += 1;
            false
        }));
        assert_eq!(looks, SpinPolicy::BRIEF.yields);
        let mut looks = 0;
        assert!(spin_until(SpinPolicy::BRIEF, cpus(), Deadline::NEVER, || {
            looks += 1;
            looks == 3
        }));
        assert_eq!(looks, 3);
    }

    #[test]
    fn a_brief_spin_looks_after_each_backoff_round_then_after_each_yield() {
        // With a spare CPU for this spinner, three backing-off looks (after
        // 2, 4 and 8 pauses), then BRIEF's yields; a deadline changes
        // nothing but the end.
        let expected = if cpus() > 1 { BACKOFF_ROUNDS as usize } else { 0 } + SpinPolicy::BRIEF.yields as usize;
        for deadline in [Deadline::NEVER, Deadline::after(Duration::from_secs(60))] {
            let mut looks = 0;
            assert!(!spin_until(SpinPolicy::BRIEF, 1, deadline, || {
                looks += 1;
                false
            }));
            assert_eq!(looks, expected);
        }
    }

    #[test]
    fn cpus_is_the_parallelism_this_process_may_use() {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(cpus(), n);
        assert_eq!(cpus(), n, "cached");
    }
}
