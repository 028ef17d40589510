//! `threading_enumerate.py`: no handle kept for the workers — `enumerate()`
//! lists every alive thread, and main joins each one but itself.

use std::thread::sleep;
use std::time::Duration;

use threading::{enumerate, main_thread, Thread};
use tracing::debug;

/// thread worker function
fn worker() {
    // Python's `random.randint(1, 5) / 10`.
    let pause = f64::from(rand::random_range(1..=5u8)) / 10.0;
    debug!("sleeping {pause:0.2}");
    sleep(Duration::from_secs_f64(pause));
    debug!("ending");
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    for _ in 0..3 {
        let t = Thread::builder().daemon(true).target(worker);
        t.start().expect("start");
    }

    let main_thread = main_thread();
    for t in enumerate() {
        if t == main_thread {
            continue;
        }
        debug!("joining {}", t.name());
        t.join().expect("join");
    }
}
