//! `threading_event.py`: one thread blocks on an `Event`, another polls it
//! with a 2 s timeout, until the main thread sets it after 0.3 s.

use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use threading::{Event, Thread};
use tracing::debug;

/// Python's `str(bool)`.
fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// Wait for the event to be set before doing anything
fn wait_for_event(e: &Event) {
    debug!("wait_for_event starting");
    let event_is_set = e.wait();
    debug!("event set: {}", py_bool(event_is_set));
}

/// Wait t seconds and then timeout
fn wait_for_event_timeout(e: &Event, t: Duration) {
    while !e.is_set() {
        debug!("wait_for_event_timeout starting");
        let event_is_set = e.wait_timeout(t);
        debug!("event set: {}", py_bool(event_is_set));
        if event_is_set {
            debug!("processing event");
        } else {
            debug!("doing other work");
        }
    }
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    let e = Arc::new(Event::new());
    let e1 = Arc::clone(&e);
    let t1 = Thread::builder().name("block").target(move || wait_for_event(&e1));
    t1.start().expect("start");

    let e2 = Arc::clone(&e);
    let t2 = Thread::builder().name("nonblock").target(move || wait_for_event_timeout(&e2, Duration::from_secs(2)));
    t2.start().expect("start");

    debug!("Waiting before calling Event.set()");
    sleep(Duration::from_secs_f64(0.3));
    e.set();
    debug!("Event is set");
}
