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
    let far = Instant::now() + Duration::from_secs(3600);
    let entries: Vec<_> = (0..1000).map(|i| probe(i, &tx)).collect();
    for e in &entries {
        service.schedule(far, e.clone());
    }
    assert_eq!(service.len(), 1000);
    for e in entries.iter().take(900) {
        e.cancelled.store(true, Ordering::SeqCst);
        service.note_cancelled();
    }
    // Swept each time the cancelled were more than half: what is left is
    // the live 100 plus fewer cancelled than live ones.
    assert!(service.len() < 200, "{} entries left", service.len());
    assert!(service.len() >= 100);
}
