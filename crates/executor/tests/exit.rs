//! At process exit, an executor that was never dropped (leaked, or in a
//! `static`) still runs its queued tasks and then lets the process end, as
//! Python's `atexit` hook for `concurrent.futures` does.
//!
//! A whole-process test (`harness = false`): run plainly, it re-executes
//! itself with `--child`, whose `main` leaks an executor with queued work
//! and returns; the parent checks that every task ran and that the child
//! ended, killing it after `CHILD_LIMIT` if it hangs.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_LIMIT: Duration = Duration::from_secs(20);
const TASKS: usize = 6;

fn child() {
    let ex = Box::leak(Box::new(executor::ThreadPoolExecutor::new(2)));
    for i in 0..TASKS {
        ex.submit(move || {
            std::thread::sleep(Duration::from_millis(50));
            println!("task {i} done");
        })
        .expect("submit");
    }
    println!("main returns");
}

fn main() {
    if std::env::args().any(|a| a == "--child") {
        child();
        return;
    }
    let exe = std::env::current_exe().expect("current_exe");
    let mut c = Command::new(exe).arg("--child").stdout(Stdio::piped()).spawn().expect("spawn child");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = c.try_wait().expect("try_wait") {
            break s;
        }
        if start.elapsed() > CHILD_LIMIT {
            let _ = c.kill();
            panic!("the child hung at exit: a leaked executor's idle workers held the process");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut out = String::new();
    c.stdout.take().expect("stdout").read_to_string(&mut out).expect("read stdout");
    assert!(status.success(), "child failed: {status}\n{out}");
    assert_eq!(out.lines().next(), Some("main returns"), "{out}");
    for i in 0..TASKS {
        assert!(out.contains(&format!("task {i} done\n")), "task {i} did not run before exit:\n{out}");
    }
    println!("exit: ok (a leaked executor ran its {TASKS} queued tasks and the process ended)");
}
