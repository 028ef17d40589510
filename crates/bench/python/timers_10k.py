"""timers_10k: ns to start threading.Timers due in 60 s, cancel them all and
join them all. CPython spends an OS thread per timer, so it runs 2,000
timers and the figure is scaled x5 to 10,000."""

import threading

from common import emit, fixed, note, now

COUNT = 2_000
SCALE = 10_000 // COUNT


def fired():
    raise AssertionError("a cancelled timer fired")


def run():
    t0 = now()
    timers = [threading.Timer(60.0, fired) for _ in range(COUNT)]
    for t in timers:
        t.start()
    for t in timers:
        t.cancel()
    for t in timers:
        t.join()
    return (now() - t0) * SCALE


emit("timers_10k", fixed(run, 1, 3))
note("timers_10k", "cpython: 2,000 timers, scaled x5")
