//! `threading_daemon_join_timeout.py`: `join` with a timeout shorter than the
//! daemon's sleep returns while the daemon is still alive.

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

    d.join_timeout(Duration::from_secs_f64(0.1)).expect("join");
    // Python 2 spelled it `isAlive()`; the seed prints that text.
    println!("d.isAlive() {}", if d.is_alive() { "True" } else { "False" });
    t.join().expect("join");
}
