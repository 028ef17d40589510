//! The timer service's queue on its own: deadline order, wake-ups for an
//! earlier deadline, and the sweep of cancelled entries.

use crate::service::{Entry, Service};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Probe {
    id: usize,
    cancelled: AtomicBool,
    fired: Mutex<Sender<usize>>,
}

impl Entry for Probe {
    fn launch(&self) {
        if !self.is_cancelled() {
            self.fired.lock().unwrap().send(self.id).unwrap();
        }
    }
    fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }
}

fn probe(id: usize, tx: &Sender<usize>) -> Arc<Probe> {
    Arc::new(Probe { id, cancelled: AtomicBool::new(false), fired: Mutex::new(tx.clone()) })
}

/// `n` probes, scheduled an hour from now on `service`.
fn far_probes(service: &Service<Probe>, n: usize, tx: &Sender<usize>) -> Vec<Arc<Probe>> {
    let far = Instant::now() + Duration::from_secs(3600);
    let entries: Vec<_> = (0..n).map(|i| probe(i, tx)).collect();
    for e in &entries {
        service.schedule(far, e.clone());
    }
    entries
}

/// Cancels `e` as `Timer::cancel` does: the state, then the note.
fn cancel(service: &Service<Probe>, e: &Probe) {
    e.cancelled.store(true, Ordering::SeqCst);
    service.note_cancelled();
}

fn spawn(service: &Arc<Service<Probe>>) {
    let s = service.clone();
    std::thread::spawn(move || s.run());
}

#[test]
fn launches_in_deadline_order_and_skips_cancelled() {
    let service = Arc::new(Service::new());
    let (tx, rx) = mpsc::channel();
    let now = Instant::now();
    let a = probe(1, &tx);
    let b = probe(2, &tx);
    let c = probe(3, &tx);
    service.schedule(now + Duration::from_millis(60), c.clone());
    service.schedule(now + Duration::from_millis(20), a);
    service.schedule(now + Duration::from_millis(40), b.clone());
    b.cancelled.store(true, Ordering::SeqCst);
    spawn(&service);
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(1));
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(3));
    assert!(service.is_empty());
}

#[test]
fn earlier_deadline_wakes_parked_service() {
    let service = Arc::new(Service::new());
    let (tx, rx) = mpsc::channel();
    spawn(&service);
    service.schedule(Instant::now() + Duration::from_secs(3600), probe(1, &tx));
    std::thread::sleep(Duration::from_millis(20)); // the service parks for an hour
    let start = Instant::now();
    service.schedule(Instant::now(), probe(2, &tx));
    assert_eq!(rx.recv_timeout(Duration::from_secs(10)), Ok(2));
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn cancelled_entries_are_swept_out() {
    let service: Service<Probe> = Service::new();
    let (tx, _rx) = mpsc::channel();
    let entries = far_probes(&service, 1000, &tx);
    assert_eq!(service.len(), 1000);
    for e in entries.iter().take(900) {
        cancel(&service, e);
    }
    // Swept each time the cancelled were more than half: what is left is
    // the live 100 plus fewer cancelled than live ones.
    assert!(service.len() < 200, "{} entries left", service.len());
    assert!(service.len() >= 100);
}

#[test]
fn a_sweep_comes_once_more_than_half_are_cancelled_and_never_for_a_small_heap() {
    let service: Service<Probe> = Service::new();
    let (tx, _rx) = mpsc::channel();
    let entries = far_probes(&service, 1000, &tx);
    entries[..500].iter().for_each(|e| cancel(&service, e));
    assert_eq!(service.len(), 1000, "half cancelled: not yet");
    cancel(&service, &entries[500]);
    assert_eq!(service.len(), 499, "more than half: swept");
    // A heap under SWEEP_MIN entries is never swept.
    let small: Service<Probe> = Service::new();
    let few = far_probes(&small, 10, &tx);
    few[..9].iter().for_each(|e| cancel(&small, e));
    assert_eq!(small.len(), 10);
}

#[test]
fn timers_due_at_the_same_instant_launch_in_scheduling_order() {
    let service = Arc::new(Service::new());
    let (tx, rx) = mpsc::channel();
    let at = Instant::now() + Duration::from_millis(20);
    for id in 0..32 {
        service.schedule(at, probe(id, &tx));
    }
    spawn(&service);
    let order: Vec<usize> = (0..32).map(|_| rx.recv_timeout(Duration::from_secs(10)).unwrap()).collect();
    assert_eq!(order, (0..32).collect::<Vec<_>>());
}

#[test]
fn a_service_prints_whether_it_is_parked() {
    let service = Arc::new(Service::<Probe>::new());
    assert_eq!(format!("{service:?}"), "Service { parked: false, .. }");
    // Nothing to wait for: its thread parks.
    spawn(&service);
    let t0 = Instant::now();
    while format!("{service:?}") != "Service { parked: true, .. }" {
        assert!(t0.elapsed() < Duration::from_secs(60), "the service never parked");
        std::thread::sleep(Duration::from_millis(1));
    }
}
