//! `threading_daemon_join.py`: `join()` waits for a daemon thread too, so
//! its `Exiting` is logged.

use std::thread::sleep;
use std::time::Duration;

use threading::Thread;
use tracing::debug;

fn daemon() {
    debug!("Starting");
    sleep(Duration::from_secs_f64(0.2));
    debug!("Exiting");
}

fn non_daemon() {
    debug!("Starting");
    debug!("Exiting");
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    let d = Thread::builder().name("daemon").daemon(true).target(daemon);

    let t = Thread::builder().name("non-daemon").target(non_daemon);

    d.start().expect("start");
    t.start().expect("start");

    d.join().expect("join");
    t.join().expect("join");
}
