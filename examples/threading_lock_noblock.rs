//! `threading_lock_noblock.py`: a worker tries the lock without blocking
//! (`acquire(0)`) until it has had it three times, while a daemon holder
//! takes and leaves it every half second.

use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use threading::{Lock, Thread};
use tracing::debug;

fn lock_holder(lock: &Lock) {
    debug!("Starting");
    loop {
        lock.acquire();
        debug!("Holding");
        sleep(Duration::from_secs_f64(0.5));
        debug!("Not holding");
        lock.release().expect("the holder holds it");
        sleep(Duration::from_secs_f64(0.5));
    }
}

fn worker(lock: &Lock) {
    debug!("Starting");
    let mut num_tries = 0;
    let mut num_acquires = 0;
    while num_acquires < 3 {
        sleep(Duration::from_secs_f64(0.5));
        debug!("Trying to acquire");
        let have_it = lock.try_acquire();
        num_tries += 1;
        if have_it {
            debug!("Iteration {num_tries}: Acquired");
            num_acquires += 1;
        } else {
            debug!("Iteration {num_tries}: Not acquired");
        }
        if have_it {
            lock.release().expect("the worker holds it");
        }
    }
    debug!("Done after {num_tries} iterations");
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    let lock = Arc::new(Lock::new());

    let l = Arc::clone(&lock);
    let holder = Thread::builder().name("LockHolder").daemon(true).target(move || lock_holder(&l));
    holder.start().expect("start");

    let l = Arc::clone(&lock);
    let worker = Thread::builder().name("Worker").target(move || worker(&l));
    worker.start().expect("start");
    // As in Python, the process waits for the non-daemon worker at exit.
}
