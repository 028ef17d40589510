//! `timer_many`: beyond the seed. Starts 10,000 timers with spread
//! deadlines, cancels all but 100, lets those fire, and prints the counts,
//! the number of OS threads the process had while all 10,000 were pending,
//! the peak over the whole run (also read inside every function that
//! fires), and the time it all took. Python spends one OS thread per
//! pending timer; here they share one service thread, and a timer has an
//! OS thread of its own only while it fires. How many of those overlap
//! depends on how soon the OS runs them, so the peak moves with the load
//! on the machine, while the pending figure stays at main and the service.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use threading::Timer;

const TIMERS: usize = 10_000;
/// Every `KEEP_EVERY`-th timer is left to fire: 100 of them.
const KEEP_EVERY: usize = 100;

/// The OS threads of this process (`Threads:` in `/proc/self/status`), or
/// 0 where there is no such file.
fn os_threads() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("Threads:").map(|n| n.trim().parse().ok())))
        .flatten()
        .unwrap_or(0)
}

fn main() {
    let begin = Instant::now();
    let fired = Arc::new(AtomicUsize::new(0));
    let mut pending = os_threads();
    let peak = Arc::new(AtomicUsize::new(0));

    // Deadlines spread from 0.3 s to 0.5 s, far enough that every cancel
    // below comes first, even in a debug build.
    let timers: Vec<Timer> = (0..TIMERS)
        .map(|i| {
            let (fired, peak_seen) = (fired.clone(), peak.clone());
            let interval = Duration::from_millis(300) + Duration::from_micros(20 * i as u64);
            let t = Timer::new(interval, move || {
                peak_seen.fetch_max(os_threads(), Ordering::SeqCst);
                fired.fetch_add(1, Ordering::SeqCst);
            });
            t.start().expect("start");
            if i % 1000 == 0 {
                pending = pending.max(os_threads());
            }
            t
        })
        .collect();
    let pending = pending.max(os_threads());
    peak.fetch_max(pending, Ordering::SeqCst);
    println!("timers started: {}", timers.len());
    println!("OS threads while pending: {pending}");

    let cancelled = timers.iter().enumerate().filter(|(i, t)| i % KEEP_EVERY != 0 && t.cancel()).count();
    println!("timers cancelled: {cancelled}");

    for t in &timers {
        t.join().expect("join");
    }
    println!("timers fired: {}", fired.load(Ordering::SeqCst));
    println!("peak OS threads: {}", peak.load(Ordering::SeqCst));
    println!("elapsed: {} ms", begin.elapsed().as_millis());
}
