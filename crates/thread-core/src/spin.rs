//! The adaptive, time-bounded spin a waiter does before it parks (used by
//! `Event::wait`, `Barrier::wait` and `Condition::wait`).
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
//!   favours sleepers) than a spinning one gets its turn. So each thread
//!   keeps a [`SpinHistory`] per primitive: after [`FAILS_TO_STOP`] spins
//!   in a row that ended in a park it parks at once, trying a spin again
//!   (a *probe*) after 1, 2, 4 ... 32 waits (the gap doubling after every
//!   probe that did not pay), and spins again for good as soon as one pays.
//!
//! How long to spin and to probe is the caller's [`SpinPolicy`]. The
//! figures are measured (`cargo xtask bench`, this 2-core machine):
//!
//! * [`SpinPolicy::WAKE`], 50 µs for both: a spin must outlast the time a
//!   *parked* partner takes to wake and answer (one wake-up is 15–20 µs
//!   here: a condvar round trip, two of them, is 30–40 µs). With 20 µs spins
//!   and 2 µs probes, two threads handing an `Event` back and forth fell,
//!   after any hiccup, into a state where both park every time and every
//!   spin or probe ends just before the answer: half the runs of
//!   `event_pingpong` took 4–20 µs a round trip instead of 75 ns, and
//!   `barrier_round_2t` 0.5–9 µs instead of 40 ns. With 50 µs the first
//!   probe catches the woken partner and both spin again.
//! * [`SpinPolicy::OVERSUBSCRIBED`], 20 µs spins and 2 µs probes, for a
//!   caller that knows more threads take part than there are CPUs (a
//!   barrier with more parties than CPUs): there a long probe mostly burns
//!   the CPU a party still to come is waiting for (`barrier_round_4t`: 2.3
//!   µs a round with it, 7–9 µs with `WAKE`).
//!
//! Under loom the spin is one look at the word, so a model explores both a
//! waiter that catches the store while spinning and one that parks. (No
//! yield: loom does not switch back to a yielded thread while others can
//! run, which would hide the interleavings where the waiter goes on first.)
//!
//! This module is public only for the sibling crates of the `threading`
//! workspace; it is not part of the supported API.

use crate::shim::Deadline;
use std::cell::Cell;
use std::thread::LocalKey;
use std::time::Duration;
#[cfg(not(loom))]
use std::time::Instant;

/// How long a waiter spins before it parks, and how long a probe spins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpinPolicy {
    /// The spin of a thread whose spins have been paying.
    pub spin_for: Duration,
    /// The spin of a probe, tried now and then by a thread whose spins
    /// stopped paying.
    pub probe_for: Duration,
}

impl SpinPolicy {
    /// Long enough to catch a parked partner's answer (see the module
    /// documentation).
    pub const WAKE: SpinPolicy =
        SpinPolicy { spin_for: Duration::from_micros(50), probe_for: Duration::from_micros(50) };
    /// For more threads than CPUs: short spins and shorter probes.
    pub const OVERSUBSCRIBED: SpinPolicy =
        SpinPolicy { spin_for: Duration::from_micros(20), probe_for: Duration::from_micros(2) };
}

/// How many re-reads between two looks at the clock.
#[cfg(not(loom))]
const READS_PER_CLOCK: u32 = 32;
/// After this many vain spins in a row, a thread stops spinning.
#[cfg(not(loom))]
pub const FAILS_TO_STOP: u8 = 2;
/// While it does not spin, a thread still tries a spin after 1, 2, 4 ...
/// up to `1 << MAX_PROBE_SHIFT` waits, doubling the gap after every try
/// that did not pay.
#[cfg(not(loom))]
const MAX_PROBE_SHIFT: u8 = 5;

/// Whether a thread's recent spins on one kind of primitive paid. Each
/// primitive keeps its own in a `thread_local!`, so that spins that pay on
/// one (an event handed back and forth) and not on another (a barrier whose
/// parties are descheduled) do not mix.
#[derive(Debug, Default)]
#[cfg_attr(loom, allow(dead_code))]
pub struct SpinHistory {
    /// Spins in a row that ended in a park (saturating).
    fails: Cell<u8>,
    /// Waits since the last spin, while not spinning.
    skipped: Cell<u8>,
}

impl SpinHistory {
    /// A history with no failed spin.
    pub const fn new() -> Self {
        SpinHistory { fails: Cell::new(0), skipped: Cell::new(0) }
    }

    /// How long this wait should spin, if at all.
    #[cfg(not(loom))]
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
}

/// Re-reads `done` until it returns true or the spin's budget is spent:
/// `policy.spin_for` while this thread's spins on this primitive
/// (`history`) pay, `policy.probe_for` on a probe after they stopped
/// paying, or not at all. It does not spin unless the machine has more CPUs
/// than `spinners`, the threads (the caller included) that may be spinning
/// on the word now, nor past `deadline` (the caller's timeout; one already
/// passed means no spin, and no failure counted). Returns whether `done`
/// became true. Under loom: one look at the word (see the module
/// documentation).
pub fn spin_until(
    history: &'static LocalKey<SpinHistory>,
    spinners: usize,
    policy: SpinPolicy,
    deadline: Deadline,
    mut done: impl FnMut() -> bool,
) -> bool {
    #[cfg(loom)]
    {
        let _ = (history, spinners, policy, deadline);
        done()
    }
    #[cfg(not(loom))]
    {
        if cpus() <= spinners {
            return false;
        }
        // One clock read serves both the deadline and the spin's start.
        let start = Instant::now();
        let left = deadline.instant().map(|at| at.saturating_duration_since(start));
        if left == Some(Duration::ZERO) {
            return false;
        }
        history.with(|h| {
            let Some(budget) = h.budget(policy) else {
                return false;
            };
            let budget = left.map_or(budget, |left| budget.min(left));
            loop {
                for _ in 0..READS_PER_CLOCK {
                    crate::shim::spin_loop();
                    if done() {
                        h.fails.set(0);
                        return true;
                    }
                }
                if start.elapsed() >= budget {
                    h.fails.set(h.fails.get().saturating_add(1));
                    return false;
                }
            }
        })
    }
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

    std::thread_local! {
        static HISTORY: SpinHistory = const { SpinHistory::new() };
    }

    const P: SpinPolicy = SpinPolicy { spin_for: Duration::from_micros(30), probe_for: Duration::from_micros(3) };

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
            HISTORY.with(|h| h.fails.set(u8::MAX));
            // Keep probing until a probe runs: `done` is true at once.
            let mut caught = false;
            for _ in 0..=(1 << MAX_PROBE_SHIFT) {
                caught |= spin_until(&HISTORY, 0, P, Deadline::NEVER, || true);
            }
            (caught, HISTORY.with(|h| h.fails.get()))
        })
        .join()
        .unwrap();
        assert_eq!(spun, (true, 0));
    }

    #[test]
    fn a_vain_spin_ends_and_counts_as_a_failure() {
        let (caught, fails, took) = std::thread::spawn(|| {
            let t0 = Instant::now();
            let caught = spin_until(&HISTORY, 0, P, Deadline::NEVER, || false);
            (caught, HISTORY.with(|h| h.fails.get()), t0.elapsed())
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
        const LONG: SpinPolicy = SpinPolicy { spin_for: Duration::from_secs(60), probe_for: Duration::from_secs(60) };
        let took = std::thread::spawn(|| {
            let t0 = Instant::now();
            assert!(!spin_until(&HISTORY, 0, LONG, Deadline::after(Duration::from_millis(20)), || false));
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
            assert!(!spin_until(&HISTORY, 0, P, Deadline::after(Duration::ZERO), || {
                looks += 1;
                true
            }));
            (looks, HISTORY.with(|h| h.fails.get()))
        })
        .join()
        .unwrap();
        assert_eq!((looks, fails), (0, 0));
    }

    #[test]
    fn never_spins_without_a_spare_cpu() {
        let mut looks = 0;
        assert!(!spin_until(&HISTORY, cpus(), P, Deadline::NEVER, || {
            looks += 1;
            true
        }));
        assert_eq!(looks, 0);
    }
}
