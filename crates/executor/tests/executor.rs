//! The behaviours CPython's `test_concurrent_futures` checks for the thread
//! pool, in this crate's words. Every blocking call is bounded (a long
//! timeout), so a lost wake-up fails instead of hanging.

use executor::{as_completed, wait, FutureError, ReturnWhen, SubmitError, ThreadPoolExecutor};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
use sync_event::Event;

const LONG: Duration = Duration::from_secs(60);

/// An event that a task blocks on, with a bound.
fn gate() -> Arc<Event> {
    Arc::new(Event::new())
}

fn blocker(g: &Arc<Event>) -> impl FnOnce() + Send + 'static {
    let g = g.clone();
    move || assert!(g.wait_timeout(LONG), "gate never opened")
}

#[test]
fn submit_result_and_into_result() {
    let ex = ThreadPoolExecutor::new(2);
    let f = ex.submit(|| String::from("spam")).unwrap();
    assert_eq!(f.result_timeout(LONG).unwrap(), "spam");
    assert_eq!(f.result().unwrap(), "spam"); // again
    assert_eq!(f.into_result().unwrap(), "spam");
}

#[test]
fn map_yields_in_item_order() {
    let ex = ThreadPoolExecutor::new(4);
    // Earlier items sleep longer, so they finish last.
    let out: Vec<u64> = ex
        .map(
            |i: u64| {
                std::thread::sleep(Duration::from_millis(20 * (5 - i)));
                i * i
            },
            0..5,
        )
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(out, [0, 1, 4, 9, 16]);
}

#[test]
fn map_yields_a_panic_in_its_place_and_goes_on() {
    let ex = ThreadPoolExecutor::new(2);
    let out: Vec<_> = ex.map(|i: u32| if i == 1 { panic!("bad item {i}") } else { i }, 0..3).unwrap().collect();
    assert_eq!(out, [Ok(0), Err(FutureError::Panicked("bad item 1".into())), Ok(2)]);
}

#[test]
fn map_timeout_yields_timed_out_then_ends_and_cancels_the_rest() {
    let ex = ThreadPoolExecutor::new(1);
    let g = gate();
    let g2 = g.clone();
    let ran = Arc::new(AtomicUsize::new(0));
    let r2 = ran.clone();
    let start = Instant::now();
    let mut it = ex
        .map_timeout(
            move |i: u32| {
                r2.fetch_add(1, Ordering::SeqCst);
                if i == 0 {
                    assert!(g2.wait_timeout(LONG));
                }
                i
            },
            0..3,
            Some(Duration::from_millis(100)),
        )
        .unwrap();
    assert_eq!(it.next(), Some(Err(FutureError::TimedOut)));
    assert!(start.elapsed() >= Duration::from_millis(60));
    assert_eq!(it.next(), None);
    g.set();
    ex.shutdown(true, false);
    // Only the first ran: the two queued behind it were cancelled.
    assert_eq!(ran.load(Ordering::SeqCst), 1);
}

#[test]
fn a_panicking_task_does_not_kill_its_worker() {
    let ex = ThreadPoolExecutor::new(1);
    let bad = ex.submit(|| -> u8 { panic!("boom") }).unwrap();
    assert_eq!(bad.result_timeout(LONG), Err(FutureError::Panicked("boom".into())));
    let good = ex.submit(|| 7u8).unwrap();
    assert_eq!(good.result_timeout(LONG), Ok(&7));
    let threads = ex.threads();
    assert_eq!(threads.len(), 1);
    assert!(threads[0].is_alive());
}

#[test]
fn cancel_succeeds_only_while_pending() {
    let ex = ThreadPoolExecutor::new(1);
    let g = gate();
    let started = gate();
    let s2 = started.clone();
    let b = blocker(&g);
    let running = ex
        .submit(move || {
            s2.set();
            b();
        })
        .unwrap();
    let queued = ex.submit(|| 1).unwrap();
    assert!(started.wait_timeout(LONG));
    assert!(running.running());
    assert!(!running.cancel(), "a running task cannot be cancelled");
    assert!(queued.cancel());
    assert!(queued.cancel(), "cancelling twice still says cancelled");
    assert!(queued.cancelled() && queued.done() && !queued.running());
    assert_eq!(queued.result_timeout(LONG), Err(FutureError::Cancelled));
    g.set();
    assert_eq!(queued.into_result(), Err(FutureError::Cancelled), "the last handle of a cancelled future");
    assert_eq!(running.result_timeout(LONG), Ok(&()));
    assert!(!running.cancel(), "a finished task cannot be cancelled");
    assert!(!running.cancelled());
    assert_eq!(running.into_result(), Ok(()));
}

#[test]
fn result_timeout_times_out_then_succeeds() {
    let ex = ThreadPoolExecutor::new(1);
    let g = gate();
    let b = blocker(&g);
    let f = ex
        .submit(move || {
            b();
            3
        })
        .unwrap();
    let start = Instant::now();
    assert_eq!(f.result_timeout(Duration::from_millis(100)), Err(FutureError::TimedOut));
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(60) && waited <= Duration::from_secs(1), "{waited:?}");
    assert_eq!(f.result_timeout(Duration::ZERO), Err(FutureError::TimedOut));
    g.set();
    assert_eq!(f.result_timeout(LONG), Ok(&3));
}

#[test]
fn callbacks_run_once_each_in_order_and_at_once_when_done() {
    let ex = ThreadPoolExecutor::new(1);
    let g = gate();
    let b = blocker(&g);
    let f = ex
        .submit(move || {
            b();
            5
        })
        .unwrap();
    let (tx, rx) = mpsc::channel();
    for tag in ["first", "second"] {
        let tx = tx.clone();
        f.add_done_callback(move |f| tx.send((tag, *f.result().unwrap())).unwrap());
    }
    assert!(rx.try_recv().is_err(), "not before the task is done");
    g.set();
    assert_eq!(rx.recv_timeout(LONG).unwrap(), ("first", 5));
    assert_eq!(rx.recv_timeout(LONG).unwrap(), ("second", 5));
    f.result_timeout(LONG).unwrap();
    let tx2 = tx.clone();
    f.add_done_callback(move |f| tx2.send(("late", *f.result().unwrap())).unwrap());
    assert_eq!(rx.try_recv().unwrap(), ("late", 5), "runs at once, on this thread");
    drop(tx);
    ex.shutdown(true, false);
    assert!(rx.try_recv().is_err(), "each callback ran once");
}

#[test]
fn cancel_runs_the_callbacks_and_a_panicking_callback_spares_the_others() {
    let ex = ThreadPoolExecutor::new(1);
    let g = gate();
    let busy = ex.submit(blocker(&g)).unwrap();
    let f = ex.submit(|| 1).unwrap();
    let (tx, rx) = mpsc::channel();
    f.add_done_callback(|_| panic!("callback fails"));
    f.add_done_callback(move |f| tx.send(f.cancelled()).unwrap());
    assert!(f.cancel());
    assert_eq!(rx.try_recv(), Ok(true), "ran on the cancelling thread");
    g.set();
    busy.result_timeout(LONG).unwrap();
}

#[test]
fn submit_after_shutdown_is_refused_with_pythons_message() {
    let ex = ThreadPoolExecutor::new(2);
    ex.shutdown(false, false);
    let e = ex.submit(|| ()).unwrap_err();
    assert_eq!(e, SubmitError::Shutdown);
    assert_eq!(e.to_string(), "cannot schedule new futures after shutdown");
    assert_eq!(ex.map(|x: u8| x, [1]).unwrap_err(), SubmitError::Shutdown);
}

#[test]
fn shutdown_waits_for_queued_work() {
    let ex = ThreadPoolExecutor::new(2);
    let done = Arc::new(AtomicUsize::new(0));
    let fs: Vec<_> = (0..10)
        .map(|_| {
            let d = done.clone();
            ex.submit(move || {
                std::thread::sleep(Duration::from_millis(5));
                d.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap()
        })
        .collect();
    ex.shutdown(true, false);
    assert_eq!(done.load(Ordering::SeqCst), 10);
    assert!(fs.iter().all(|f| f.done() && !f.cancelled()));
    assert!(ex.threads().iter().all(|t| !t.is_alive()));
}

#[test]
fn dropping_the_executor_waits_like_a_with_block() {
    let done = Arc::new(AtomicUsize::new(0));
    let fs: Vec<_>;
    {
        let ex = ThreadPoolExecutor::new(2);
        fs = (0..4)
            .map(|_| {
                let d = done.clone();
                ex.submit(move || {
                    std::thread::sleep(Duration::from_millis(10));
                    d.fetch_add(1, Ordering::SeqCst);
                })
                .unwrap()
            })
            .collect();
    }
    assert_eq!(done.load(Ordering::SeqCst), 4);
    assert!(fs.iter().all(|f| f.done()));
}

#[test]
fn shutdown_cancel_futures_cancels_the_queued_ones_only() {
    let ex = ThreadPoolExecutor::new(1);
    let g = gate();
    let started = gate();
    let s2 = started.clone();
    let b = blocker(&g);
    let running = ex
        .submit(move || {
            s2.set();
            b();
        })
        .unwrap();
    let queued: Vec<_> = (0..5).map(|i| ex.submit(move || i).unwrap()).collect();
    assert!(started.wait_timeout(LONG));
    ex.shutdown(false, true);
    assert!(queued.iter().all(|f| f.cancelled()));
    g.set();
    assert_eq!(running.result_timeout(LONG), Ok(&()));
    ex.shutdown(true, false); // a second call joins
}

#[test]
fn idle_workers_are_reused() {
    let ex = ThreadPoolExecutor::new(8);
    assert!(ex.threads().is_empty(), "started on demand");
    // Twenty tasks one after the other: an idle worker takes each, so no
    // pool of 8 builds up. (A worker can lose the race to become idle
    // before the next submit on a loaded machine, hence "a few".)
    for _ in 0..20 {
        ex.submit(|| ()).unwrap().result_timeout(LONG).unwrap();
        std::thread::sleep(Duration::from_millis(5));
    }
    let n = ex.threads().len();
    assert!((1..=3).contains(&n), "{n} workers for sequential tasks");
}

#[test]
fn workers_are_named_as_python_names_them_and_listed() {
    let ex = ThreadPoolExecutor::new(3);
    ex.submit(|| ()).unwrap().result_timeout(LONG).unwrap();
    let name = ex.threads()[0].name();
    let prefix = name.strip_suffix("_0").expect("PREFIX_0").to_owned();
    assert!(prefix.starts_with("ThreadPoolExecutor-"), "{name}");
    assert!(prefix["ThreadPoolExecutor-".len()..].parse::<usize>().is_ok(), "{name}");
    // Three blocked tasks: three workers, listed by enumerate().
    let g = gate();
    let fs: Vec<_> = (0..3).map(|_| ex.submit(blocker(&g)).unwrap()).collect();
    let names: Vec<String> = ex.threads().iter().map(|t| t.name()).collect();
    assert_eq!(names, [format!("{prefix}_0"), format!("{prefix}_1"), format!("{prefix}_2")]);
    let listed: Vec<String> = thread_core::enumerate().iter().map(|t| t.name()).collect();
    for n in &names {
        assert!(listed.contains(n), "{n} not in {listed:?}");
    }
    // No fourth worker beyond max_workers.
    let extra = ex.submit(|| ()).unwrap();
    assert_eq!(ex.threads().len(), 3);
    g.set();
    extra.result_timeout(LONG).unwrap();
    for f in fs {
        f.result_timeout(LONG).unwrap();
    }
}

#[test]
fn thread_name_prefix_names_the_workers() {
    let ex = ThreadPoolExecutor::builder().max_workers(2).thread_name_prefix("pool").build();
    let f = ex.submit(|| thread_core::current_thread().name()).unwrap();
    assert_eq!(f.result_timeout(LONG).unwrap(), "pool_0");
}

#[test]
fn default_max_workers_is_pythons() {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(ThreadPoolExecutor::default().max_workers(), (cpus + 4).min(32));
}

#[test]
#[should_panic(expected = "max_workers must be greater than 0")]
fn zero_workers_panics() {
    let _ = ThreadPoolExecutor::new(0);
}

#[test]
fn a_panicking_initializer_breaks_the_pool() {
    let ex = ThreadPoolExecutor::builder().max_workers(2).initializer(|| panic!("no connection")).build();
    let f = ex.submit(|| 1).unwrap();
    assert_eq!(f.result_timeout(LONG), Err(FutureError::Broken(executor::BrokenThreadPool)));
    let e = ex.submit(|| 2).unwrap_err();
    assert!(matches!(e, SubmitError::Broken(_)));
    assert_eq!(e.to_string(), "A thread initializer failed, the thread pool is not usable anymore");
}

#[test]
fn the_initializer_runs_once_per_worker() {
    let inits = Arc::new(AtomicUsize::new(0));
    let i = inits.clone();
    let ex = ThreadPoolExecutor::builder()
        .max_workers(2)
        .initializer(move || {
            i.fetch_add(1, Ordering::SeqCst);
        })
        .build();
    let g = gate();
    let fs: Vec<_> = (0..2).map(|_| ex.submit(blocker(&g)).unwrap()).collect();
    g.set();
    for f in fs {
        f.result_timeout(LONG).unwrap();
    }
    ex.shutdown(true, false);
    assert_eq!(inits.load(Ordering::SeqCst), 2);
}

#[test]
fn wait_first_completed_returns_on_the_first() {
    let ex = ThreadPoolExecutor::new(2);
    let g = gate();
    let slow = ex.submit(blocker(&g)).unwrap();
    let quick = ex.submit(|| ()).unwrap();
    let r = wait([&slow, &quick], Some(LONG), ReturnWhen::FirstCompleted);
    assert_eq!(r.done.len(), 1);
    assert!(r.done[0].ptr_eq(&quick));
    assert!(r.not_done[0].ptr_eq(&slow));
    g.set();
}

#[test]
fn wait_first_exception_returns_on_a_panic() {
    let ex = ThreadPoolExecutor::new(2);
    let g = gate();
    let slow = ex.submit(blocker(&g)).unwrap();
    let bad = ex.submit(|| panic!("x")).unwrap();
    let r = wait([&slow, &bad], Some(LONG), ReturnWhen::FirstException);
    assert!(r.done.len() == 1 && r.done[0].ptr_eq(&bad));
    g.set();
    // With no panic, FirstException waits for all.
    let a = ex.submit(|| ()).unwrap();
    let b = ex.submit(|| ()).unwrap();
    let r = wait([&a, &b], Some(LONG), ReturnWhen::FirstException);
    assert_eq!((r.done.len(), r.not_done.len()), (2, 0));
}

#[test]
fn wait_all_completed_and_timeout() {
    let ex = ThreadPoolExecutor::new(2);
    let g = gate();
    let slow = ex.submit(blocker(&g)).unwrap();
    let quick = ex.submit(|| ()).unwrap();
    let start = Instant::now();
    let r = wait([&slow, &quick, &quick], Some(Duration::from_millis(100)), ReturnWhen::AllCompleted);
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(60) && waited <= Duration::from_secs(1), "{waited:?}");
    assert_eq!((r.done.len(), r.not_done.len()), (1, 1), "repeats count once");
    g.set();
    let r = wait([&slow, &quick], Some(LONG), ReturnWhen::AllCompleted);
    assert_eq!((r.done.len(), r.not_done.len()), (2, 0));
}

#[test]
fn wait_counts_a_cancelled_future_done() {
    let ex = ThreadPoolExecutor::new(1);
    let g = gate();
    let busy = ex.submit(blocker(&g)).unwrap();
    let queued = ex.submit(|| ()).unwrap();
    let q2 = queued.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        q2.cancel()
    });
    let r = wait([&busy, &queued], Some(LONG), ReturnWhen::FirstCompleted);
    assert!(canceller.join().unwrap());
    assert!(r.done[0].ptr_eq(&queued));
    g.set();
}

#[test]
fn as_completed_yields_done_ones_first_then_in_completion_order() {
    let ex = ThreadPoolExecutor::new(3);
    let first = ex.submit(|| 0).unwrap();
    first.result_timeout(LONG).unwrap();
    let gates: Vec<_> = (0..2).map(|_| gate()).collect();
    let fs: Vec<_> = (0..2)
        .map(|i| {
            let b = blocker(&gates[i]);
            ex.submit(move || {
                b();
                i + 1
            })
            .unwrap()
        })
        .collect();
    let all = [first.clone(), fs[0].clone(), fs[1].clone()];
    let mut it = as_completed(&all, Some(LONG));
    assert_eq!(it.next().unwrap().unwrap().result(), Ok(&0));
    gates[1].set(); // the last submitted finishes first
    assert_eq!(it.next().unwrap().unwrap().result(), Ok(&2));
    gates[0].set();
    assert_eq!(it.next().unwrap().unwrap().result(), Ok(&1));
    assert!(it.next().is_none());
}

#[test]
fn as_completed_times_out_with_pythons_message() {
    let ex = ThreadPoolExecutor::new(2);
    let g = gate();
    let slow = ex.submit(blocker(&g)).unwrap();
    let quick = ex.submit(|| ()).unwrap();
    quick.result_timeout(LONG).unwrap();
    let start = Instant::now();
    let got: Vec<_> = as_completed([&slow, &quick], Some(Duration::from_millis(100))).collect();
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(60) && waited <= Duration::from_secs(1), "{waited:?}");
    assert_eq!(got.len(), 2);
    assert!(got[0].as_ref().unwrap().ptr_eq(&quick));
    let e = got[1].as_ref().unwrap_err();
    assert_eq!(e.to_string(), "1 (of 2) futures unfinished");
    g.set();
}

#[test]
fn into_result_refuses_while_shared() {
    let ex = ThreadPoolExecutor::new(1);
    let f = ex.submit(|| vec![1]).unwrap();
    let r = wait([&f], Some(LONG), ReturnWhen::AllCompleted);
    assert_eq!(f.clone().into_result(), Err(FutureError::Shared));
    drop(r);
    assert_eq!(f.into_result(), Ok(vec![1]));
}

#[test]
fn debug_shows_the_state() {
    let ex = ThreadPoolExecutor::builder().max_workers(1).thread_name_prefix("dbg").build();
    let g = gate();
    let busy = ex.submit(blocker(&g)).unwrap();
    let queued = ex.submit(|| 1u8).unwrap();
    assert_eq!(format!("{queued:?}"), "<Future state=pending>");
    g.set();
    busy.result_timeout(LONG).unwrap();
    queued.result_timeout(LONG).unwrap();
    assert_eq!(format!("{queued:?}"), "<Future state=finished returned u8>");
    let s = format!("{ex:?}");
    assert!(s.starts_with("ThreadPoolExecutor { prefix: \"dbg\", max_workers: 1"), "{s}");
}

#[test]
fn many_submitters_many_tasks_all_complete() {
    let ex = Arc::new(ThreadPoolExecutor::new(4));
    let total = Arc::new(AtomicUsize::new(0));
    let submitters: Vec<_> = (0..4)
        .map(|_| {
            let ex = ex.clone();
            let total = total.clone();
            std::thread::spawn(move || {
                let fs: Vec<_> = (0..500)
                    .map(|i| {
                        let t = total.clone();
                        ex.submit(move || {
                            t.fetch_add(1, Ordering::SeqCst);
                            i
                        })
                        .unwrap()
                    })
                    .collect();
                fs.into_iter().map(|f| f.into_result().unwrap()).sum::<usize>()
            })
        })
        .collect();
    for s in submitters {
        assert_eq!(s.join().unwrap(), (0..500).sum::<usize>());
    }
    assert_eq!(total.load(Ordering::SeqCst), 2000);
    assert!(ex.threads().len() <= 4);
}

#[test]
fn a_callback_may_submit_while_shutdown_cancels_its_future() {
    let ex = Arc::new(ThreadPoolExecutor::new(1));
    let g = gate();
    let busy = ex.submit(blocker(&g)).unwrap();
    let queued = ex.submit(|| ()).unwrap();
    let (tx, rx) = mpsc::channel();
    let ex2 = ex.clone();
    queued.add_done_callback(move |_| tx.send(ex2.submit(|| ()).map(|_| ())).unwrap());
    // On another thread, so that a deadlock fails the wait below instead
    // of hanging the test.
    let ex3 = ex.clone();
    std::thread::spawn(move || ex3.shutdown(false, true));
    // The callback ran during shutdown and was refused, without deadlock.
    assert_eq!(rx.recv_timeout(LONG).expect("shutdown deadlocked in the callback"), Err(SubmitError::Shutdown));
    g.set();
    busy.result_timeout(LONG).unwrap();
}

#[test]
fn every_worker_runs_a_task_at_once() {
    // Idle workers take turns waiting for a task; the one that gets a task
    // passes the turn on before running it, so tasks submitted back to
    // back run side by side: four tasks that each wait for all four meet.
    let ex = ThreadPoolExecutor::new(4);
    for _round in 0..3 {
        let arrived = Arc::new(AtomicUsize::new(0));
        let fs: Vec<_> = (0..4)
            .map(|_| {
                let arrived = arrived.clone();
                ex.submit(move || {
                    arrived.fetch_add(1, Ordering::SeqCst);
                    let t0 = Instant::now();
                    while arrived.load(Ordering::SeqCst) < 4 {
                        assert!(t0.elapsed() < LONG, "the tasks did not run side by side");
                        std::thread::sleep(Duration::from_millis(1));
                    }
                })
                .unwrap()
            })
            .collect();
        for f in fs {
            f.result_timeout(LONG).unwrap();
        }
        // Let every worker go idle again before the next round.
        std::thread::sleep(Duration::from_millis(20));
    }
}
