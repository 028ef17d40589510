//! `threading::profile`: contended waits charged to their call sites, with
//! the call site of the release they queued behind. One test: the profile
//! is process-wide.

use std::sync::Arc;
use std::time::Duration;

use threading::dump::Kind;
use threading::{profile, Lock, Thread};

#[test]
fn contended_lock_waits_are_charged_to_their_site_and_releaser() {
    profile::reset();
    // Off: nothing is gathered.
    let lock = Arc::new(Lock::named("profiled"));
    let contend = |rounds: usize| {
        let threads: Vec<Thread> = (0..2)
            .map(|_| {
                let l = lock.clone();
                let t = Thread::new(move || {
                    for _ in 0..rounds {
                        let g = l.lock();
                        std::thread::sleep(Duration::from_micros(200));
                        drop(g);
                    }
                });
                t.start().unwrap();
                t
            })
            .collect();
        for t in threads {
            assert_eq!(t.join_timeout(Duration::from_secs(60)), Ok(true));
        }
    };
    contend(20);
    assert!(profile::report().sites().iter().all(|s| s.name != Some("profiled")));

    profile::enable();
    contend(50);
    profile::disable();
    let report = profile::report();
    let site = report.sites().iter().find(|s| s.name == Some("profiled")).expect("the lock's waits are charged");
    assert_eq!(site.kind, Kind::Lock);
    assert!(site.site.file().ends_with("profile.rs"), "{}", site.site);
    assert!(site.waits >= 1 && site.waits <= 100, "{} waits", site.waits);
    assert!(site.max >= site.p50 && site.total >= site.max);
    assert!(site.p99 >= site.p50);
    // Each wait queued behind a guard made on the same line.
    let released: u64 = site.releasers.iter().map(|(_, n)| n).sum();
    assert!(released >= 1, "no releaser noted: {report}");
    assert!(site.releasers.iter().all(|(at, _)| at.line() == site.site.line()), "{report}");
    let text = report.to_string();
    assert!(
        text.starts_with("Contention profile:") && text.contains("Lock \"profiled\"") && text.contains("released at"),
        "{text}"
    );

    profile::reset();
    assert!(profile::report().sites().is_empty());
}
