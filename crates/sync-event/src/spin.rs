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
//! much CPU. It adapts per thread to how often spinning pays (`BUDGET_NS`).

#[cfg(not(loom))]
use std::cell::Cell;
#[cfg(not(loom))]
use std::time::Instant;

/// The longest a waiter spins before it parks, in nanoseconds.
#[cfg(not(loom))]
pub(crate) const MAX_SPIN_NS: u32 = 20_000;
/// The shortest spin budget a thread falls back to after failed spins.
#[cfg(not(loom))]
const MIN_SPIN_NS: u32 = 1_000;

/// How many re-reads between two looks at the clock.
#[cfg(not(loom))]
const READS_PER_CLOCK: u32 = 32;

#[cfg(not(loom))]
std::thread_local! {
    /// This thread's spin budget: halved by every spin that ends in a park,
    /// doubled by every spin that succeeds. A thread whose setters run on
    /// other cores spins the full budget; on an overloaded machine, where
    /// the setter is rarely running while we spin, spinning shrinks to a
    /// microsecond and the waiter parks almost at once.
    static BUDGET_NS: Cell<u32> = const { Cell::new(MAX_SPIN_NS) };
}

/// Re-reads `done` for up to this thread's spin budget; returns whether it
/// became true, and adapts the budget.
#[cfg(not(loom))]
pub(crate) fn spin_until(mut done: impl FnMut() -> bool) -> bool {
    if !multi_core() {
        return false;
    }
    let budget = BUDGET_NS.with(Cell::get);
    let start = Instant::now();
    loop {
        for _ in 0..READS_PER_CLOCK {
            thread_core::shim::spin_loop();
            if done() {
                BUDGET_NS.with(|b| b.set(budget.saturating_mul(2).min(MAX_SPIN_NS)));
                return true;
            }
        }
        if start.elapsed().as_nanos() >= u128::from(budget) {
            BUDGET_NS.with(|b| b.set((budget / 2).max(MIN_SPIN_NS)));
            return false;
        }
    }
}

/// Under loom: one re-read, so the model explores both a waiter that
/// catches the `set` while spinning and one that parks. (No yield: loom
/// does not switch back to a yielded thread while others can run, which
/// would hide the interleavings where the waiter goes on first.)
#[cfg(loom)]
pub(crate) fn spin_until(mut done: impl FnMut() -> bool) -> bool {
    done()
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
