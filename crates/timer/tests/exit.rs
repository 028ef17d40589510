//! Whole-process behaviour at exit: a pending non-daemon timer holds the
//! process until it has fired; a pending daemon timer does not.
//!
//! The test binary runs itself again as the child process (the `child`
//! test, which does nothing unless `TIMER_EXIT_CHILD` is set): the child
//! starts a timer and returns from `main` at once; the parent reads what it
//! printed and how long it lived.

use std::process::Command;
use std::time::{Duration, Instant};
use timer::Timer;

const CHILD_ENV: &str = "TIMER_EXIT_CHILD";
const INTERVAL: Duration = Duration::from_millis(300);

#[test]
fn child() {
    let Ok(kind) = std::env::var(CHILD_ENV) else { return };
    let t = Timer::builder().name("t1").daemon(kind == "daemon").interval(INTERVAL).function(|| {
        println!("FIRED by {}", thread_core::current_thread().name());
    });
    t.start().unwrap();
    println!("MAIN DONE");
}

fn run_child(kind: &str) -> (String, Duration) {
    let exe = std::env::current_exe().expect("the test binary");
    let start = Instant::now();
    let out = Command::new(exe)
        .args(["--exact", "child", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, kind)
        .output()
        .expect("the child runs");
    let took = start.elapsed();
    assert!(out.status.success(), "child failed: {}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8_lossy(&out.stdout).into_owned(), took)
}

#[test]
fn pending_non_daemon_timer_holds_exit() {
    let (out, took) = run_child("non-daemon");
    let done = out.find("MAIN DONE").expect("main ran");
    let fired = out.find("FIRED by t1").unwrap_or_else(|| panic!("the timer did not fire before exit: {out:?}"));
    assert!(fired > done, "fired before main returned: {out:?}");
    assert!(took >= INTERVAL.mul_f64(0.6), "the process did not wait: {took:?}");
}

#[test]
fn pending_daemon_timer_does_not_hold_exit() {
    let (out, _took) = run_child("daemon");
    assert!(out.contains("MAIN DONE"), "main ran: {out:?}");
    assert!(!out.contains("FIRED"), "a daemon timer held the process: {out:?}");
}
