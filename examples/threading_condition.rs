//! `threading_condition.py`: two consumers wait on a `Condition` until the
//! producer makes the resource available and notifies them all.

use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use threading::{Condition, Thread};
use tracing::debug;

/// wait for the condition and use the resource
fn consumer(cond: &Condition) {
    debug!("Starting consumer thread");
    let g = cond.lock();
    g.wait();
    debug!("Resource is available to consumer");
}

/// set up the resource to be used by the consumer
fn producer(cond: &Condition) {
    debug!("Starting producer thread");
    let g = cond.lock();
    debug!("Making resource available");
    g.notify_all();
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "%(asctime)s (%(threadName)-2s) %(message)s");

    let condition = Arc::new(Condition::new());
    let c = Arc::clone(&condition);
    let c1 = Thread::builder().name("c1").target(move || consumer(&c));
    let c = Arc::clone(&condition);
    let c2 = Thread::builder().name("c2").target(move || consumer(&c));
    let c = Arc::clone(&condition);
    let p = Thread::builder().name("p").target(move || producer(&c));

    c1.start().expect("start");
    sleep(Duration::from_secs_f64(0.2));
    c2.start().expect("start");
    sleep(Duration::from_secs_f64(0.2));
    p.start().expect("start");
}
