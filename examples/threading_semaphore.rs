//! PyMOTW's `threading_semaphore.py` (beyond the seed): a `Semaphore(2)`
//! lets at most two of four workers into an `ActivePool` at once; the pool
//! logs, under its lock, who is in it.

use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use threading::{current_thread, Mutex, Semaphore, Thread};
use tracing::debug;

/// Python's `repr` of a list of strings: `['0', '1']`.
fn py_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("'{s}'")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The names of the threads in the pool: a list behind a `Lock` (the
/// facade's `Mutex` is a data-carrying `Lock`).
struct ActivePool {
    active: Mutex<Vec<String>>,
}

impl ActivePool {
    fn new() -> ActivePool {
        ActivePool { active: Mutex::new(Vec::new()) }
    }

    fn make_active(&self, name: String) {
        let mut active = self.active.lock();
        active.push(name);
        debug!("Running: {}", py_list(&active));
    }

    fn make_inactive(&self, name: &str) {
        let mut active = self.active.lock();
        active.retain(|n| n != name);
        debug!("Running: {}", py_list(&active));
    }
}

fn worker(s: &Semaphore, pool: &ActivePool) {
    debug!("Waiting to join the pool");
    let _with = s.permit();
    let name = current_thread().name();
    pool.make_active(name.clone());
    sleep(Duration::from_secs_f64(0.1));
    pool.make_inactive(&name);
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "%(asctime)s (%(threadName)-2s) %(message)s");

    let pool = Arc::new(ActivePool::new());
    let s = Arc::new(Semaphore::new(2));
    for i in 0..4 {
        let (s, pool) = (Arc::clone(&s), Arc::clone(&pool));
        let t = Thread::builder().name(i.to_string()).target(move || worker(&s, &pool));
        t.start().expect("start");
    }
}
