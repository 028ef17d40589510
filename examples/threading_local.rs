//! PyMOTW's `threading_local_defaults.py` (beyond the seed): a `Local` whose
//! per-thread initialiser logs and starts every thread's value at 1000;
//! each worker then sets its own random value, unseen by the others.

use std::cell::Cell;
use std::sync::{Arc, Weak};

use threading::{Local, Thread};
use tracing::debug;

/// `MyLocal(1000)`: each thread's `value`, starting at 1000.
type MyLocal = Local<Cell<u32>>;

fn show_value(data: &MyLocal) {
    debug!("value={}", data.get().get());
}

fn worker(data: &MyLocal) {
    show_value(data);
    // Python's `random.randint(1, 100)`.
    data.get().set(rand::random_range(1..=100));
    show_value(data);
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    // The initialiser names the local object itself, as Python's
    // `MyLocal.__init__` logs `self`: it holds a weak reference to it.
    let local_data: Arc<MyLocal> = Arc::new_cyclic(|me: &Weak<MyLocal>| {
        let me = me.clone();
        Local::new(move || {
            debug!("Initializing <MyLocal object at {:p}>", me.as_ptr());
            Cell::new(1000)
        })
    });
    show_value(&local_data);

    let threads: Vec<Thread> = (0..2)
        .map(|_| {
            let data = Arc::clone(&local_data);
            Thread::new(move || worker(&data))
        })
        .collect();
    for t in &threads {
        t.start().expect("start");
    }
    for t in &threads {
        t.join().expect("join");
    }
}
