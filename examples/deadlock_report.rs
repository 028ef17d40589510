//! `threading::deadlocks()`: two daemon threads take two `RLock`s in
//! opposite order and block each other for ever; the main thread finds the
//! cycle, prints it and exits (the daemons do not hold the process).

use std::sync::Arc;
use std::thread::sleep;
use std::time::{Duration, Instant};

use threading::{Barrier, RLock, Thread};

fn main() {
    let first = Arc::new(RLock::named("first"));
    let second = Arc::new(RLock::named("second"));
    // Both hold their first lock before either asks for its second.
    let both_hold = Arc::new(Barrier::new(2));
    let mut workers = Vec::new();
    for (name, a, b) in [("worker-a", &first, &second), ("worker-b", &second, &first)] {
        let (a, b, both_hold) = (a.clone(), b.clone(), both_hold.clone());
        let t = Thread::builder().name(name).daemon(true).target(move || {
            let _outer = a.lock();
            let _ = both_hold.wait();
            let _inner = b.lock(); // never returns
        });
        t.start().unwrap();
        workers.push(t);
    }

    // Look (at most 30 s) until the cycle is there.
    let begun = Instant::now();
    let found = loop {
        let found = threading::deadlocks();
        if !found.is_empty() || begun.elapsed() > Duration::from_secs(30) {
            break found;
        }
        sleep(Duration::from_millis(5));
    };
    println!("{} deadlock(s) found", found.len());
    for d in &found {
        println!("{d}");
    }
}
