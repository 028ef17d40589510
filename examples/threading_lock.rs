//! `threading_lock.py`: a `Counter` whose `Lock` keeps two workers from
//! losing an increment; main joins the workers it finds with `enumerate()`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use threading::{enumerate, main_thread, Lock, Thread};
use tracing::debug;

struct Counter {
    lock: Lock,
    /// Read, then written back: a plain read-modify-write that only the
    /// lock makes safe (an atomic word just so that Rust lets two threads
    /// see it; no atomic increment is used).
    value: AtomicU64,
}

impl Counter {
    fn new(start: u64) -> Counter {
        Counter { lock: Lock::new(), value: AtomicU64::new(start) }
    }

    fn increment(&self) {
        debug!("Waiting for lock");
        self.lock.acquire();
        debug!("Acquired lock");
        let v = self.value.load(Ordering::Relaxed);
        self.value.store(v + 1, Ordering::Relaxed);
        self.lock.release().expect("the lock is held");
    }
}

fn worker(c: &Counter) {
    for _ in 0..2 {
        // Python's `random.random()`: a float in [0, 1).
        let pause: f64 = rand::random();
        debug!("Sleeping {pause:.2}");
        sleep(Duration::from_secs_f64(pause));
        c.increment();
    }
    debug!("Done");
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    let counter = Arc::new(Counter::new(0));
    for _ in 0..2 {
        let c = Arc::clone(&counter);
        let t = Thread::new(move || worker(&c));
        t.start().expect("start");
    }

    debug!("Waiting for worker threads");
    let main_thread = main_thread();
    for t in enumerate() {
        if t != main_thread {
            t.join().expect("join");
        }
    }
    debug!("Counter: {}", counter.value.load(Ordering::Relaxed));
}
