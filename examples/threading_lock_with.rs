//! `threading_lock_with.py`: a lock taken with a guard (`with lock:`) and
//! taken and released by hand.

use std::sync::Arc;

use threading::{Lock, Thread};
use tracing::debug;

fn worker_with(lock: &Lock) {
    let _guard = lock.lock();
    debug!("Lock acquired via with");
}

fn worker_no_with(lock: &Lock) {
    lock.acquire();
    debug!("Lock acquired directly");
    lock.release().expect("held");
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    let lock = Arc::new(Lock::new());
    let l = Arc::clone(&lock);
    let w = Thread::new(move || worker_with(&l));
    let l = Arc::clone(&lock);
    let nw = Thread::new(move || worker_no_with(&l));

    w.start().expect("start");
    nw.start().expect("start");
}
