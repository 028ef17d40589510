//! Barrier: every method and error, CPython's `BarrierTests`
//! (Lib/test/lock_tests.py) and stress tests. Every blocking call is
//! bounded, so a lost wake-up fails instead of hanging.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering::SeqCst};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};
use sync_barrier::{Barrier, BrokenBarrierError};

/// Long enough that a wake-up that is coming always wins.
const LONG: Duration = Duration::from_secs(20);
/// CPython's `BarrierTests.N`.
const N: usize = 5;

/// Runs `f(i)` on `n - 1` new threads and on this one (CPython's
/// `run_threads`); returns every result, failing instead of hanging if the
/// threads do not finish within [`LONG`].
fn run_threads<T: Send + 'static>(n: usize, f: impl Fn(usize) -> T + Send + Sync + 'static) -> Vec<T> {
    let f = Arc::new(f);
    let (tx, rx) = mpsc::channel();
    for i in 1..n {
        let (f, tx) = (f.clone(), tx.clone());
        thread::spawn(move || tx.send(f(i)).unwrap());
    }
    let mut out = vec![f(0)];
    out.extend((1..n).map(|_| rx.recv_timeout(LONG).expect("a thread did not finish: lost wake-up?")));
    out
}

/// A barrier with CPython's test default timeout.
fn barrier() -> Arc<Barrier> {
    Arc::new(Barrier::builder(N).timeout(Duration::from_secs(2)).build())
}

#[test]
#[should_panic(expected = "parties must be > 0")]
fn zero_parties_panics() {
    let _ = Barrier::new(0);
}

#[test]
#[should_panic(expected = "parties must be > 0")]
fn zero_parties_builder_panics() {
    let _ = Barrier::builder(0);
}

#[test]
fn accessors_debug_and_traits() {
    let b = Barrier::new(3);
    assert_eq!(b.parties(), 3);
    assert_eq!(b.n_waiting(), 0);
    assert!(!b.is_broken());
    assert_eq!(format!("{b:?}"), "Barrier { parties: 3, n_waiting: 0, broken: false }");
    b.abort();
    assert_eq!(format!("{b:?}"), "Barrier { parties: 3, n_waiting: 0, broken: true }");
    fn assert_traits<T: Send + Sync + std::fmt::Debug>() {}
    assert_traits::<Barrier>();
    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<BrokenBarrierError>();
    assert_eq!(BrokenBarrierError.to_string(), "barrier is broken");
    let builder = Barrier::builder(2).timeout(Duration::from_secs(1));
    assert_eq!(format!("{builder:?}"), "BarrierBuilder { parties: 2, timeout: Some(1s), action: false }");
}

#[test]
fn single_party() {
    let b = Barrier::new(1);
    assert_eq!(b.wait(), Ok(0));
    assert_eq!(b.wait(), Ok(0));
    assert_eq!(b.wait_timeout(Duration::ZERO), Ok(0));
}

fn multipass(passes: usize) {
    let b = barrier();
    let results: Arc<[Mutex<usize>; 2]> = Arc::new([Mutex::new(0), Mutex::new(0)]);
    run_threads(N, move |_| {
        for i in 0..passes {
            *results[0].lock().unwrap() += 1;
            assert_eq!(*results[1].lock().unwrap(), i * N);
            b.wait().unwrap();
            *results[1].lock().unwrap() += 1;
            assert_eq!(*results[0].lock().unwrap(), (i + 1) * N);
            b.wait().unwrap();
        }
        assert_eq!(b.n_waiting(), 0);
        assert!(!b.is_broken());
    });
}

#[test]
fn passed_in_lockstep() {
    multipass(1);
}

#[test]
fn passed_in_lockstep_10_rounds() {
    multipass(10);
}

#[test]
fn wait_returns_distinct_indices() {
    let b = barrier();
    let mut got = run_threads(N, move |_| b.wait().unwrap());
    got.sort();
    assert_eq!(got, (0..N).collect::<Vec<_>>());
}

#[test]
fn n_waiting_counts_waiters() {
    let b = Arc::new(Barrier::new(3));
    let b2 = b.clone();
    let t = thread::spawn(move || b2.wait_timeout(LONG));
    let start = Instant::now();
    while b.n_waiting() != 1 {
        assert!(start.elapsed() < LONG);
        thread::yield_now();
    }
    b.abort();
    assert_eq!(t.join().unwrap(), Err(BrokenBarrierError));
    assert_eq!(b.n_waiting(), 0);
}

#[test]
fn action_runs_once_before_release() {
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    let b = Arc::new(Barrier::builder(N).action(move || _ = c.fetch_add(1, SeqCst)).build());
    let c = count.clone();
    run_threads(N, move |_| {
        b.wait().unwrap();
        assert_eq!(c.load(SeqCst), 1);
    });
}

#[test]
fn action_runs_on_the_last_arrival() {
    let ran_on = Arc::new(Mutex::new(None));
    let r = ran_on.clone();
    let b = Arc::new(Barrier::builder(2).action(move || *r.lock().unwrap() = Some(thread::current().id())).build());
    let results = run_threads(2, move |_| (thread::current().id(), b.wait().unwrap()));
    let last = results.iter().find(|(_, i)| *i == 1).unwrap().0;
    assert_eq!(*ran_on.lock().unwrap(), Some(last));
}

#[test]
fn abort_breaks_the_barrier() {
    let b = barrier();
    let (ok, broken) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (o, k) = (ok.clone(), broken.clone());
    let b2 = b.clone();
    run_threads(N, move |_| {
        let i = b2.wait().unwrap();
        if i == N / 2 {
            b2.abort();
            return;
        }
        match b2.wait() {
            Ok(_) => o.fetch_add(1, SeqCst),
            Err(BrokenBarrierError) => k.fetch_add(1, SeqCst),
        };
    });
    assert_eq!(ok.load(SeqCst), 0);
    assert_eq!(broken.load(SeqCst), N - 1);
    assert!(b.is_broken());
    // Arrivals while broken fail at once.
    let t = Instant::now();
    assert_eq!(b.wait(), Err(BrokenBarrierError));
    assert_eq!(b.wait_timeout(Duration::MAX), Err(BrokenBarrierError));
    assert!(t.elapsed() < Duration::from_secs(1));
}

#[test]
fn reset_frees_waiters() {
    let b = barrier();
    let counts: Arc<[AtomicUsize; 3]> = Arc::new(Default::default());
    let c = counts.clone();
    run_threads(N, move |_| {
        let i = b.wait().unwrap();
        if i == N / 2 {
            let start = Instant::now();
            while b.n_waiting() < N - 1 {
                assert!(start.elapsed() < LONG);
                thread::sleep(Duration::from_millis(1));
            }
            b.reset();
        } else {
            match b.wait() {
                Ok(_) => c[0].fetch_add(1, SeqCst),
                Err(_) => c[1].fetch_add(1, SeqCst),
            };
        }
        // The barrier is usable again.
        b.wait().unwrap();
        c[2].fetch_add(1, SeqCst);
    });
    assert_eq!(counts[0].load(SeqCst), 0);
    assert_eq!(counts[1].load(SeqCst), N - 1);
    assert_eq!(counts[2].load(SeqCst), N);
}

#[test]
fn abort_then_reset() {
    let b = barrier();
    let b2 = Arc::new(Barrier::new(N));
    let counts: Arc<[AtomicUsize; 3]> = Arc::new(Default::default());
    let c = counts.clone();
    run_threads(N, move |_| {
        match b.wait() {
            Ok(i) if i == N / 2 => b.abort(),
            Ok(_) => match b.wait() {
                Ok(_) => _ = c[0].fetch_add(1, SeqCst),
                Err(_) => _ = c[1].fetch_add(1, SeqCst),
            },
            Err(_) => panic!("first round broken"),
        }
        // Everyone has left before the reset, nobody enters before it.
        if b2.wait().unwrap() == N / 2 {
            b.reset();
        }
        b2.wait().unwrap();
        b.wait().unwrap();
        c[2].fetch_add(1, SeqCst);
    });
    assert_eq!(counts[0].load(SeqCst), 0);
    assert_eq!(counts[1].load(SeqCst), N - 1);
    assert_eq!(counts[2].load(SeqCst), N);
}

#[test]
fn timeout_breaks_it_for_everyone() {
    let b = barrier();
    let results = run_threads(N, move |_| {
        let i = b.wait().unwrap();
        if i == N / 2 {
            // One thread is late.
            thread::sleep(Duration::from_secs(1));
        }
        let t = Instant::now();
        let r = b.wait_timeout(Duration::from_millis(500));
        (r, t.elapsed())
    });
    for (r, dt) in results {
        assert_eq!(r, Err(BrokenBarrierError));
        assert!(dt <= Duration::from_secs(5), "{dt:?}");
    }
}

#[test]
fn default_timeout_breaks_it() {
    let b = Arc::new(Barrier::builder(N).timeout(Duration::from_millis(300)).build());
    let results = run_threads(N, move |_| {
        let i = b.wait().unwrap();
        if i == N / 2 {
            thread::sleep(Duration::from_secs(1));
        }
        b.wait()
    });
    assert!(results.iter().all(|r| *r == Err(BrokenBarrierError)));
}

#[test]
fn timeout_is_at_least_the_timeout() {
    let b = Barrier::new(2);
    let t = Instant::now();
    assert_eq!(b.wait_timeout(Duration::from_millis(300)), Err(BrokenBarrierError));
    let dt = t.elapsed();
    assert!(dt >= Duration::from_millis(180) && dt <= Duration::from_secs(3), "{dt:?}");
    assert!(b.is_broken());
    assert_eq!(b.n_waiting(), 0);
}

#[test]
fn zero_timeout_breaks_unless_last() {
    let b = Barrier::new(2);
    assert_eq!(b.wait_timeout(Duration::ZERO), Err(BrokenBarrierError));
    assert!(b.is_broken());
    b.reset();
    assert!(!b.is_broken());
    let b = Arc::new(b);
    let b2 = b.clone();
    let t = thread::spawn(move || b2.wait_timeout(LONG));
    while b.n_waiting() != 1 {
        thread::yield_now();
    }
    assert_eq!(b.wait_timeout(Duration::ZERO), Ok(1));
    assert_eq!(t.join().unwrap(), Ok(0));
}

#[test]
fn huge_timeout_is_forever() {
    let b = Arc::new(Barrier::builder(2).timeout(Duration::MAX).build());
    let b2 = b.clone();
    let got = run_threads(2, move |i| if i == 0 { b2.wait() } else { b2.wait_timeout(Duration::MAX) });
    let mut got: Vec<usize> = got.into_iter().map(Result::unwrap).collect();
    got.sort();
    assert_eq!(got, [0, 1]);
}

#[test]
fn panicking_action_breaks_the_barrier() {
    let b = Arc::new(Barrier::builder(3).action(|| panic!("action failed")).build());
    let b2 = b.clone();
    let results = run_threads(3, move |_| catch_unwind(AssertUnwindSafe(|| b2.wait())));
    let panicked = results.iter().filter(|r| r.is_err()).count();
    let broken = results.iter().filter(|r| matches!(r, Ok(Err(BrokenBarrierError)))).count();
    assert_eq!((panicked, broken), (1, 2));
    let msg = results.into_iter().find_map(Result::err).unwrap();
    assert_eq!(msg.downcast_ref::<&str>(), Some(&"action failed"));
    assert!(b.is_broken());
    assert_eq!(b.n_waiting(), 0);
    // Not poisoned: a reset makes it usable again.
    b.reset();
    assert!(!b.is_broken());
    assert_eq!(b.n_waiting(), 0);
}

#[test]
fn abort_inside_the_action_breaks_the_next_round() {
    let holder: Arc<Mutex<Option<Arc<Barrier>>>> = Arc::new(Mutex::new(None));
    let h = holder.clone();
    let b = Arc::new(
        Barrier::builder(2)
            .action(move || {
                if let Some(b) = h.lock().unwrap().as_ref() {
                    b.abort();
                }
            })
            .build(),
    );
    *holder.lock().unwrap() = Some(b.clone());
    let b2 = b.clone();
    let got = run_threads(2, move |_| b2.wait());
    assert!(got.iter().all(Result::is_ok), "the round in progress completes: {got:?}");
    assert!(b.is_broken());
    assert_eq!(b.wait(), Err(BrokenBarrierError));
    holder.lock().unwrap().take();
}

#[test]
fn reset_inside_the_action_leaves_it_usable() {
    let holder: Arc<Mutex<Option<Arc<Barrier>>>> = Arc::new(Mutex::new(None));
    let h = holder.clone();
    let b = Arc::new(
        Barrier::builder(2)
            .action(move || {
                if let Some(b) = h.lock().unwrap().as_ref() {
                    b.abort();
                    b.reset();
                }
            })
            .build(),
    );
    *holder.lock().unwrap() = Some(b.clone());
    let b2 = b.clone();
    let got = run_threads(2, move |_| (b2.wait(), b2.wait()));
    assert!(got.iter().all(|(x, y)| x.is_ok() && y.is_ok()), "{got:?}");
    assert!(!b.is_broken());
    holder.lock().unwrap().take();
}

#[test]
fn arrivals_during_reset_join_the_fresh_round() {
    // Python: arrivals while resetting wait, then pass with the fresh round.
    let b = Arc::new(Barrier::new(2));
    let b2 = b.clone();
    let first = thread::spawn(move || b2.wait_timeout(LONG));
    while b.n_waiting() != 1 {
        thread::yield_now();
    }
    b.reset();
    assert_eq!(first.join().unwrap(), Err(BrokenBarrierError));
    assert!(!b.is_broken());
    let b2 = b.clone();
    let mut got: Vec<usize> = run_threads(2, move |_| b2.wait_timeout(LONG).unwrap());
    got.sort();
    assert_eq!(got, [0, 1]);
}

#[test]
fn stress_indices_distinct_over_many_rounds() {
    const PARTIES: usize = 4;
    const ROUNDS: usize = 5_000;
    let actions = Arc::new(AtomicUsize::new(0));
    let a = actions.clone();
    let b = Arc::new(Barrier::builder(PARTIES).action(move || _ = a.fetch_add(1, SeqCst)).build());
    let seen: Arc<Vec<AtomicU8>> = Arc::new((0..ROUNDS).map(|_| AtomicU8::new(0)).collect());
    let (s, a) = (seen.clone(), actions.clone());
    run_threads(PARTIES, move |_| {
        for round in 0..ROUNDS {
            let i = b.wait_timeout(LONG).unwrap();
            // The action of this round ran before anyone was released.
            assert!(a.load(SeqCst) > round);
            let before = s[round].fetch_or(1 << i, SeqCst);
            assert_eq!(before & (1 << i), 0, "index {i} twice in round {round}");
        }
    });
    assert!(seen.iter().all(|m| m.load(SeqCst) == 0b1111));
    assert_eq!(actions.load(SeqCst), ROUNDS);
}

#[test]
fn stress_two_parties_many_rounds() {
    const ROUNDS: usize = 20_000;
    let b = Arc::new(Barrier::new(2));
    let sums = run_threads(2, move |_| (0..ROUNDS).map(|_| b.wait_timeout(LONG).unwrap()).sum::<usize>());
    assert_eq!(sums.iter().sum::<usize>(), ROUNDS);
}

#[test]
fn waiters_that_park_together_are_not_timed_out_by_each_other() {
    // Two waiters park at once (one may lose the race to announce itself
    // and park again); the third arrives well after their spins: nobody's
    // deadline has passed, so every round completes.
    for _round in 0..10 {
        let b = Arc::new(Barrier::new(3));
        let go = Arc::new(std::sync::Barrier::new(2));
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let (b, go) = (b.clone(), go.clone());
                thread::spawn(move || {
                    go.wait();
                    b.wait_timeout(Duration::from_secs(60))
                })
            })
            .collect();
        thread::sleep(Duration::from_millis(20));
        assert!(b.wait_timeout(Duration::from_secs(60)).is_ok());
        for h in hs {
            assert!(h.join().unwrap().is_ok());
        }
    }
}
