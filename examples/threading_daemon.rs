//! `threading_daemon.py`: a daemon thread does not keep the process alive.
//! Main returns at once; the process waits only for the non-daemon thread,
//! so the daemon never logs `Exiting`.

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
    // Main ends: the process waits for `non-daemon` only, not for `daemon`.
}
