//! `threading_timer.py`: two timers of 0.3 s; the second is cancelled
//! after 0.2 s, so it never runs. Main logs `done` and returns; the process
//! then waits for `t1`, a pending non-daemon timer, which logs
//! `worker running` last.

use std::thread::sleep;
use std::time::Duration;

use threading::Timer;
use tracing::debug;

fn delayed() {
    debug!("worker running");
}

fn main() {
    threading::logging::basic_config(tracing::Level::DEBUG, "(%(threadName)-10s) %(message)s");

    let t1 = Timer::new(Duration::from_secs_f64(0.3), delayed);
    t1.set_name("t1");
    let t2 = Timer::new(Duration::from_secs_f64(0.3), delayed);
    t2.set_name("t2");

    debug!("starting timers");
    t1.start().expect("start");
    t2.start().expect("start");

    debug!("waiting before canceling {}", t2.name());
    sleep(Duration::from_secs_f64(0.2));
    debug!("canceling {}", t2.name());
    // Python's cancel() returns nothing; whether it came in time shows in
    // the output (t2 never prints "worker running").
    let _ = t2.cancel();
    debug!("done");
    // Main ends: the process waits for `t1`, which is not a daemon.
}
