//! The bounded spin a waiter does before it parks.
//!
//! Parking and being unparked cost two system calls and two context
//! switches (tens of microseconds here), while a `set` on another running
//! core reaches a spinning waiter in well under a microsecond. So a waiter
//! first re-reads the word for a short *time* (not a number of iterations,
//! which would vary with the CPU's pause latency), and only on a machine
//! with more than one CPU: with a single CPU the setter cannot run while we
//! spin. The longest budget was found by measurement (`cargo xtask bench`,
//! rows `event_pingpong` and `event_idle_wait_cpu`): it covers a round trip
//! of the other thread, yet costs a waiter that ends up parking at most this
//! much CPU. Below that, the budget adapts per thread to how long its
//! waits take (`budget_ns`).

#[cfg(not(loom))]
use std::cell::Cell;
#[cfg(not(loom))]
use std::time::Instant;

/// The longest a waiter spins before it parks, in nanoseconds.
#[cfg(not(loom))]
const MAX_SPIN_NS: u32 = 20_000;
/// The shortest spin: a waiter that expects a long wait still looks for a
/// microsecond (a `set` already on its way).
#[cfg(not(loom))]
const MIN_SPIN_NS: u32 = 1_000;

/// How many re-reads between two looks at the clock.
#[cfg(not(loom))]
const READS_PER_CLOCK: u32 = 32;

#[cfg(not(loom))]
std::thread_local! {
    /// A moving average (weight 1/4) of how long this thread's recent waits
    /// took in all, spinning and parked, each counted at most `4 ×
    /// MAX_SPIN_NS`. It starts where the first wait spins the full budget.
    static AVERAGE_WAIT_NS: Cell<u32> = const { Cell::new(MAX_SPIN_NS / 4) };
}

/// This thread's spin budget: four times its average wait when that is
/// short, so that the waits it expects end while it spins (a partner on
/// another core handing the flag back and forth); the minimum when waits
/// are long (an event that is rarely set, or an overloaded machine where
/// the setter is seldom running while we spin), so the waiter parks almost
/// at once. Since the average counts parked waits too, two threads that
/// both fell back to parking see short waits and start spinning again.
#[cfg(not(loom))]
fn budget_ns() -> u32 {
    let average = AVERAGE_WAIT_NS.with(Cell::get);
    if average <= MAX_SPIN_NS / 2 {
        average.saturating_mul(4).clamp(MIN_SPIN_NS, MAX_SPIN_NS)
    } else {
        MIN_SPIN_NS
    }
}

/// A wait in progress: when it started, to learn how long waits take.
#[cfg(not(loom))]
pub(crate) struct Wait {
    start: Instant,
}

#[cfg(not(loom))]
impl Wait {
    /// Starts a wait by re-reading `done` for up to this thread's spin
    /// budget: `Ok` if it became true (the wait is over), else the wait to
    /// [`finish`](Wait::finish) once the parked thread returns.
    pub(crate) fn spin(mut done: impl FnMut() -> bool) -> Result<(), Wait> {
        let wait = Wait { start: Instant::now() };
        if !multi_core() {
            return Err(wait);
        }
        let budget = u128::from(budget_ns());
        loop {
            for _ in 0..READS_PER_CLOCK {
                thread_core::shim::spin_loop();
                if done() {
                    wait.finish();
                    return Ok(());
                }
            }
            if wait.start.elapsed().as_nanos() >= budget {
                return Err(wait);
            }
        }
    }

    /// Ends the wait: adds its length to this thread's average.
    pub(crate) fn finish(self) {
        let took = self.start.elapsed().as_nanos().min(u128::from(4 * MAX_SPIN_NS)) as u32;
        AVERAGE_WAIT_NS.with(|a| a.set((a.get() / 4) * 3 + took / 4));
    }
}

/// Under loom: no clock, one re-read, so the model explores both a waiter
/// that catches the `set` while spinning and one that parks. (No yield:
/// loom does not switch back to a yielded thread while others can run,
/// which would hide the interleavings where the waiter goes on first.)
#[cfg(loom)]
pub(crate) struct Wait;

#[cfg(loom)]
impl Wait {
    pub(crate) fn spin(mut done: impl FnMut() -> bool) -> Result<(), Wait> {
        if done() {
            Ok(())
        } else {
            Err(Wait)
        }
    }

    pub(crate) fn finish(self) {}
}

/// Whether this machine has more than one CPU (asked once).
#[cfg(not(loom))]
fn multi_core() -> bool {
    use std::sync::atomic::{AtomicU8, Ordering};
    // 0 = not asked yet, 1 = single, 2 = several.
    static CPUS: AtomicU8 = AtomicU8::new(0);
    // Relaxed: a cache of an immutable fact; racing initialisers agree.
    match CPUS.load(Ordering::Relaxed) {
        0 => {
            let several = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
            CPUS.store(if several { 2 } else { 1 }, Ordering::Relaxed);
            several
        }
        v => v == 2,
    }
}
