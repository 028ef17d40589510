//! `threading_subclass.py`: a thread whose work is its own type's `run`
//! (Python's `Thread` subclass overriding `run()`), through `Runnable`.

use threading::{Runnable, Thread};
use tracing::debug;

struct MyThread;

impl Runnable for MyThread {
    fn run(self) {
        debug!("running");
    }
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    for _ in 0..5 {
        let t = Thread::from_runnable(MyThread);
        t.start().expect("start");
    }
}
