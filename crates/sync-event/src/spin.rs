//! The bounded spin a waiter does before it parks.
//!
//! Parking and being unparked cost two system calls and two context
//! switches (tens of microseconds on an idle machine, where the woken CPU
//! must leave its idle state), while a `set` on another running core
//! reaches a spinning waiter in well under a microsecond. So a waiter first
//! re-reads the word for a short *time* (not a number of iterations, which
//! would vary with the CPU's pause latency), and only on a machine with
//! more than one CPU: with a single CPU the setter cannot run while we spin.
//! The budget was found by measurement (`cargo xtask bench`, rows
//! `event_pingpong` and `event_idle_wait_cpu`): it covers a round trip of a
//! partner thread, yet costs a waiter that ends up parking little CPU.
//!
//! Spinning only pays while the setter runs *at the same time* on another
//! CPU. On a machine whose CPUs are all busy it does not: the setter waits
//! for a CPU while we spin, and a parked thread is woken sooner (the
//! scheduler favours sleepers) than a spinning one gets its turn. So each
//! thread remembers whether its recent spins paid: after
//! [`FAILS_TO_STOP`] spins in a row that ended in a park it parks at once,
//! trying a short spin ([`PROBE_FOR`]) again after 1, 2, 4 ... 32 waits
//! (the gap doubling after every try that did not pay), and spins again for
//! good as soon as one pays.

#[cfg(not(loom))]
use std::cell::Cell;
#[cfg(not(loom))]
use std::time::{Duration, Instant};

/// How long a waiter spins before it parks.
#[cfg(not(loom))]
const SPIN_FOR: Duration = Duration::from_micros(20);
/// How long a thread that stopped spinning spins when it tries again:
/// enough to see a partner that runs at the same time on another CPU.
#[cfg(not(loom))]
const PROBE_FOR: Duration = Duration::from_micros(2);
/// How many re-reads between two looks at the clock.
#[cfg(not(loom))]
const READS_PER_CLOCK: u32 = 32;
/// After this many vain spins in a row, a thread stops spinning.
#[cfg(not(loom))]
const FAILS_TO_STOP: u8 = 2;
/// While it does not spin, a thread still tries a spin after 1, 2, 4 ...
/// up to `1 << MAX_PROBE_SHIFT` waits, doubling the gap after every try
/// that did not pay.
#[cfg(not(loom))]
const MAX_PROBE_SHIFT: u8 = 5;

#[cfg(not(loom))]
std::thread_local! {
    /// Spins in a row that ended in a park (saturating).
    static FAILS: Cell<u8> = const { Cell::new(0) };
    /// Waits since the last spin, while not spinning.
    static SKIPPED: Cell<u8> = const { Cell::new(0) };
}

/// How long this wait should spin, if at all (see the module documentation).
#[cfg(not(loom))]
fn spin_budget() -> Option<Duration> {
    let fails = FAILS.with(Cell::get);
    if fails < FAILS_TO_STOP {
        return Some(SPIN_FOR);
    }
    // Every vain probe doubles the number of waits to the next one.
    let interval = 1u8 << (fails - FAILS_TO_STOP).min(MAX_PROBE_SHIFT);
    SKIPPED.with(|s| {
        if s.get() >= interval {
            s.set(0);
            Some(PROBE_FOR)
        } else {
            s.set(s.get() + 1);
            None
        }
    })
}

/// Re-reads `done` for up to [`SPIN_FOR`] while this thread's spins pay,
/// [`PROBE_FOR`] on a try after they stopped paying, or not at all (see
/// `spin_budget`); returns whether it became true.
#[cfg(not(loom))]
pub(crate) fn spin_until(mut done: impl FnMut() -> bool) -> bool {
    let Some(budget) = multi_core().then(spin_budget).flatten() else {
        return false;
    };
    let start = Instant::now();
    loop {
        for _ in 0..READS_PER_CLOCK {
            thread_core::shim::spin_loop();
            if done() {
                FAILS.with(|f| f.set(0));
                return true;
            }
        }
        if start.elapsed() >= budget {
            FAILS.with(|f| f.set(f.get().saturating_add(1)));
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
