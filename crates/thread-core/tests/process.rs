//! Whole-process tests: what happens at process exit, and what a process
//! prints, need a process of their own.
//!
//! This test binary is its own helper (`harness = false` in Cargo.toml):
//! run plainly, it re-executes itself once per scenario with
//! `--scenario <name>`, where the scenario's code runs as the child's real
//! `main` — so "main returns", `std::process::exit` and "main panics" are
//! the real thing — and checks the child's exit status, stdout, stderr and
//! run time. Every child is bounded: killed if it outlives `CHILD_LIMIT`.
//! Arguments other than `--scenario` filter the scenarios by name, as
//! libtest's do (`cargo test -p thread-core --test process -- daemon`).

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use thread_core::{current_thread, main_thread, Thread};

/// No child may run longer than this; one that does is killed and fails.
const CHILD_LIMIT: Duration = Duration::from_secs(20);

/// How long the worker of the exit scenarios works after `main` is done.
const WORK: Duration = Duration::from_millis(300);

/// A scenario: its name, the code the child runs, and the check of the
/// child's outcome.
struct Scenario {
    name: &'static str,
    child: fn(),
    check: fn(&Outcome) -> Result<(), String>,
}

/// What a child did.
#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario { name: "main_returns_waits", child: main_returns_waits, check: check_main_returns_waits },
        Scenario { name: "process_exit_waits", child: process_exit_waits, check: check_process_exit_waits },
        Scenario { name: "main_panic_waits", child: main_panic_waits, check: check_main_panic_waits },
        Scenario { name: "daemon_does_not_hold_exit", child: daemon_does_not_hold_exit, check: check_daemon },
        Scenario { name: "started_during_exit_waits", child: started_during_exit, check: check_started_during_exit },
        Scenario { name: "joining_main_does_not_hang_exit", child: joining_main, check: check_joining_main },
        Scenario { name: "shutdown_waits_explicitly", child: shutdown_explicit, check: check_shutdown_explicit },
        Scenario { name: "excepthook_default_output", child: excepthook_default, check: check_excepthook_default },
        Scenario {
            name: "excepthook_custom_replaces_output",
            child: excepthook_custom,
            check: check_excepthook_custom,
        },
        Scenario { name: "excepthook_that_panics", child: excepthook_panics, check: check_excepthook_panics },
        Scenario { name: "naming", child: naming, check: check_naming },
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--scenario") {
        let name = args.get(i + 1).expect("--scenario needs a name");
        let scenario = scenarios().into_iter().find(|s| s.name == name).expect("unknown scenario");
        (scenario.child)();
        return;
    }
    let filters: Vec<&String> = args.iter().skip(1).filter(|a| !a.starts_with('-')).collect();
    let exe = std::env::current_exe().expect("the test binary's path");
    let chosen: Vec<Scenario> = scenarios()
        .into_iter()
        .filter(|s| filters.is_empty() || filters.iter().any(|f| s.name.contains(f.as_str())))
        .collect();
    println!("\nrunning {} process scenarios", chosen.len());
    let mut failed = Vec::new();
    for s in &chosen {
        let result = run_child(&exe, s.name).and_then(|o| (s.check)(&o).map_err(|e| format!("{e}\n{o:#?}")));
        match result {
            Ok(()) => println!("test {} ... ok", s.name),
            Err(e) => {
                println!("test {} ... FAILED", s.name);
                failed.push((s.name, e));
            }
        }
    }
    for (name, e) in &failed {
        println!("\n---- {name} ----\n{e}");
    }
    println!(
        "\ntest result: {}. {} passed; {} failed",
        if failed.is_empty() { "ok" } else { "FAILED" },
        chosen.len() - failed.len(),
        failed.len()
    );
    if !failed.is_empty() {
        std::process::exit(1);
    }
}

/// Runs this binary with `--scenario name`, killing it after `CHILD_LIMIT`.
fn run_child(exe: &std::path::Path, name: &str) -> Result<Outcome, String> {
    let begun = Instant::now();
    let mut child = Command::new(exe)
        .args(["--scenario", name])
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the child: {e}"))?;
    let readers = [child.stdout.take().map(reader), None, child.stderr.take().map(reader)];
    let [Some(out), None, Some(err)] = readers else { unreachable!("both pipes were requested") };
    let status: ExitStatus = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if begun.elapsed() > CHILD_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("the child ran longer than {CHILD_LIMIT:?} and was killed"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = begun.elapsed();
    Ok(Outcome { code: status.code(), stdout: out.join().unwrap(), stderr: err.join().unwrap(), elapsed })
}

fn reader(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    })
}

fn expect(cond: bool, what: &str) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(what.to_owned())
    }
}

/// A non-daemon worker that prints after `WORK`, started from main (so it
/// inherits main's "not a daemon").
fn start_late_printer(text: &'static str) -> Thread {
    let t = Thread::builder().name("worker").target(move || {
        std::thread::sleep(WORK);
        println!("{text}");
    });
    assert!(!t.is_daemon(), "inherited from main");
    t.start().unwrap();
    t
}

fn main_returns_waits() {
    start_late_printer("worker done");
    println!("main done");
}

fn check_main_returns_waits(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(0), "exit code 0")?;
    expect(o.stdout == "main done\nworker done\n", "the worker's output after main's")?;
    expect(o.elapsed >= WORK.mul_f64(0.6), "the process waited for the worker")
}

fn process_exit_waits() {
    start_late_printer("worker done");
    println!("exiting");
    std::process::exit(3);
}

fn check_process_exit_waits(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(3), "exit code 3 (process::exit's)")?;
    expect(o.stdout == "exiting\nworker done\n", "the worker finished before the exit")?;
    expect(o.elapsed >= WORK.mul_f64(0.6), "the process waited for the worker")
}

fn main_panic_waits() {
    start_late_printer("worker done");
    panic!("main failed");
}

fn check_main_panic_waits(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(101), "exit code 101 (a panic out of main)")?;
    expect(o.stdout == "worker done\n", "the worker's output still appears")?;
    expect(o.stderr.contains("main failed"), "main's panic is reported by Rust")?;
    expect(!o.stderr.contains("Exception in thread"), "main's panic is not a thread exception")
}

fn daemon_does_not_hold_exit() {
    let t = Thread::builder().daemon(true).target(|| {
        std::thread::sleep(Duration::from_secs(5));
        println!("late daemon output");
    });
    t.start().unwrap();
    println!("main done");
}

fn check_daemon(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(0), "exit code 0")?;
    expect(o.stdout == "main done\n", "the daemon's late output never appears")?;
    expect(o.elapsed < Duration::from_secs(3), "the process ends promptly")
}

fn started_during_exit() {
    // A non-daemon thread that starts another one while main is exiting:
    // the exit waits for both.
    Thread::new(|| {
        std::thread::sleep(WORK / 2);
        Thread::new(|| {
            std::thread::sleep(WORK / 2);
            println!("second done");
        })
        .start()
        .unwrap();
        println!("first done");
    })
    .start()
    .unwrap();
}

fn check_started_during_exit(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(0), "exit code 0")?;
    expect(o.stdout == "first done\nsecond done\n", "both threads finished")
}

fn joining_main() {
    // Python stops the main thread before it waits at exit, so a thread
    // joining it returns instead of deadlocking the exit.
    Thread::new(|| {
        let main = main_thread();
        assert_eq!(main.join_timeout(Duration::from_secs(10)), Ok(true));
        println!("main joined, alive = {}", main.is_alive());
    })
    .start()
    .unwrap();
    println!("main done");
}

fn check_joining_main(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(0), "exit code 0")?;
    expect(o.stdout == "main done\nmain joined, alive = false\n", "the joiner saw main stop")?;
    expect(o.elapsed < Duration::from_secs(8), "not held until the join timeout")
}

fn shutdown_explicit() {
    start_late_printer("worker done");
    thread_core::shutdown();
    println!("after shutdown");
    // The main thread is alive and listed until it exits.
    assert!(main_thread().is_alive());
    assert_eq!(thread_core::enumerate(), [main_thread()]);
}

fn check_shutdown_explicit(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(0), "exit code 0")?;
    expect(o.stdout == "worker done\nafter shutdown\n", "shutdown waited for the worker")
}

fn excepthook_default() {
    let t = Thread::builder().name("worker").target(|| panic!("boom"));
    t.start().unwrap();
    let err = t.join().unwrap_err();
    println!("join: {err}");
    let other = Thread::new(|| println!("others go on"));
    other.start().unwrap();
    other.join().unwrap();
}

fn check_excepthook_default(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(0), "exit code 0")?;
    expect(o.stdout == "join: exception in thread worker: boom\nothers go on\n", "join carried the message")?;
    let lines: Vec<&str> = o.stderr.lines().collect();
    expect(lines.len() == 3, "three lines on stderr")?;
    expect(lines[0] == "Exception in thread worker:", "Python's first line")?;
    expect(lines[1].starts_with("panicked at ") && lines[1].contains("process.rs:"), "where it panicked")?;
    expect(lines[2] == "boom", "the message")?;
    expect(!o.stderr.contains("thread 'worker'"), "Rust's own panic message is not printed as well")
}

fn excepthook_custom() {
    let name = Arc::new(std::sync::Mutex::new(String::new()));
    let n = name.clone();
    thread_core::set_excepthook(move |args| {
        eprintln!("custom hook: {} said {:?}", args.thread().name(), args.message());
        *n.lock().unwrap() = args.thread().name();
    });
    let t = Thread::new(|| panic!("bad input"));
    t.start().unwrap();
    assert!(t.join().is_err());
    println!("hooked {}", name.lock().unwrap());
}

fn check_excepthook_custom(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(0), "exit code 0")?;
    expect(o.stdout == "hooked Thread-1\n", "the hook saw the thread")?;
    expect(o.stderr == "custom hook: Thread-1 said \"bad input\"\n", "only the custom hook's output")
}

fn excepthook_panics() {
    thread_core::set_excepthook(|_| panic!("hook broke"));
    let t = Thread::builder().name("w").target(|| panic!("target broke"));
    t.start().unwrap();
    assert!(t.join().is_err());
}

fn check_excepthook_panics(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(0), "exit code 0")?;
    let lines: Vec<&str> = o.stderr.lines().collect();
    expect(lines.len() == 4, "four lines on stderr")?;
    expect(lines[0] == "Exception in threading.excepthook:", "Python's heading")?;
    expect(lines[1] == "Exception in thread w:", "the hook's failure, in the default format")?;
    expect(lines[3] == "hook broke", "the hook's message")?;
    expect(!o.stderr.contains("panicked at process.rs") && !o.stderr.contains("thread 'w'"), "no Rust panic message")
}

fn naming() {
    let a = Thread::new(|| {});
    let named = Thread::builder().name("named").target(|| {});
    let b = Thread::new(|| {});
    let dummy = std::thread::spawn(|| current_thread().name()).join().unwrap();
    let c = Thread::new(|| {});
    // A thread made inside a thread takes the next number as well.
    a.start().unwrap();
    a.join().unwrap();
    let inner = {
        let (tx, rx) = std::sync::mpsc::channel();
        let t = Thread::new(move || tx.send(Thread::new(|| {}).name()).unwrap());
        t.start().unwrap();
        t.join().unwrap();
        (t.name(), rx.recv().unwrap())
    };
    println!("{} {} {} {} {}", a.name(), named.name(), b.name(), dummy, c.name());
    println!("{} {}", inner.0, inner.1);
    println!("{} {}", current_thread().name(), current_thread() == main_thread());
    println!("{:?}", main_thread().ident() == Some(thread_core::get_ident()));
    drop((named, b, c));
}

fn check_naming(o: &Outcome) -> Result<(), String> {
    expect(o.code == Some(0), "exit code 0")?;
    expect(
        o.stdout == "Thread-1 named Thread-2 Dummy-3 Thread-4\nThread-5 Thread-6\nMainThread true\ntrue\n",
        "Thread-N in creation order, sharing the counter with Dummy-N",
    )
}
