//! `condition_pingpong`: ns per round trip through Condition wait/notify.

use crate::measure::{compare, Config, Contender};
use crate::Report;
use std::time::{Duration, Instant};

const WARM_ROUNDS: u64 = 16;

/// Two threads pass a turn variable (0 = main's turn, 1 = the partner's)
/// through one condition, Python's idiom:
///
/// ```python
/// with cond:
///     for _ in range(n):
///         while turn != me: cond.wait()
///         turn = other
///         cond.notify()
/// ```
///
/// One round trip = main → partner → main. Each side holds the lock except
/// while it waits. The timing starts after a few warm rounds and ends when
/// the partner has taken its last turn.
trait TurnCondition: Sync + Default {
    /// Plays `rounds` turns as `me`; calls `mark` once, just before turn
    /// number `mark_at` (counting from 0).
    fn play(&self, me: u8, rounds: u64, mark_at: u64, mark: &mut dyn FnMut());
}

#[derive(Default)]
struct StdTurn {
    turn: std::sync::Mutex<u8>,
    cv: std::sync::Condvar,
}

impl TurnCondition for StdTurn {
    fn play(&self, me: u8, rounds: u64, mark_at: u64, mark: &mut dyn FnMut()) {
        let mut g = self.turn.lock().unwrap();
        for i in 0..rounds {
            if i == mark_at {
                mark();
            }
            while *g != me {
                g = self.cv.wait(g).unwrap();
            }
            *g = 1 - me;
            self.cv.notify_one();
        }
    }
}

#[derive(Default)]
struct PlTurn {
    turn: parking_lot::Mutex<u8>,
    cv: parking_lot::Condvar,
}

impl TurnCondition for PlTurn {
    fn play(&self, me: u8, rounds: u64, mark_at: u64, mark: &mut dyn FnMut()) {
        let mut g = self.turn.lock();
        for i in 0..rounds {
            if i == mark_at {
                mark();
            }
            while *g != me {
                self.cv.wait(&mut g);
            }
            *g = 1 - me;
            self.cv.notify_one();
        }
    }
}

/// Ours: `Condition::new()` (its own re-entrant lock, as Python's default)
/// and the turn in an atomic that is only touched with the lock held.
#[cfg(feature = "sync-condition")]
#[derive(Default)]
struct OursTurn {
    turn: std::sync::atomic::AtomicU8,
    cond: sync_condition::Condition,
}

#[cfg(feature = "sync-condition")]
impl TurnCondition for OursTurn {
    fn play(&self, me: u8, rounds: u64, mark_at: u64, mark: &mut dyn FnMut()) {
        use std::sync::atomic::Ordering::Relaxed;
        let g = self.cond.lock();
        for i in 0..rounds {
            if i == mark_at {
                mark();
            }
            while self.turn.load(Relaxed) != me {
                g.wait();
            }
            self.turn.store(1 - me, Relaxed);
            g.notify(1);
        }
    }
}

fn round_trips<C: TurnCondition>(n: u64) -> Duration {
    let cond = C::default();
    let mut t0 = None;
    std::thread::scope(|s| {
        s.spawn(|| cond.play(1, n + WARM_ROUNDS, u64::MAX, &mut || {}));
        cond.play(0, n + WARM_ROUNDS, WARM_ROUNDS, &mut || t0 = Some(Instant::now()));
    });
    t0.expect("the mark was reached").elapsed()
}

pub(crate) fn pingpong(cfg: &Config, report: &Report) {
    let mut contenders = Vec::new();
    #[cfg(feature = "sync-condition")]
    contenders.push(Contender::new("ours", round_trips::<OursTurn>));
    #[cfg(not(feature = "sync-condition"))]
    report.ours_missing("sync-condition");
    contenders.push(Contender::new("parking_lot_condvar", round_trips::<PlTurn>));
    contenders.push(Contender::new("std_condvar", round_trips::<StdTurn>));
    report.results(&compare(cfg, contenders));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_finish() {
        assert!(round_trips::<StdTurn>(50) > Duration::ZERO);
        assert!(round_trips::<PlTurn>(50) > Duration::ZERO);
        #[cfg(feature = "sync-condition")]
        assert!(round_trips::<OursTurn>(50) > Duration::ZERO);
    }
}
