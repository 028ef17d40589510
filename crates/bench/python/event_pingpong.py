"""event_pingpong: ns per round trip, two threads handing a flag back and
forth through two threading.Events."""

import threading

from common import emit, now, per_op

WARM = 16


def run(n):
    a, b = threading.Event(), threading.Event()

    def partner():
        for _ in range(n + WARM):
            a.wait()
            a.clear()
            b.set()

    t = threading.Thread(target=partner)
    t.start()
    for _ in range(WARM):
        a.set()
        b.wait()
        b.clear()
    t0 = now()
    for _ in range(n):
        a.set()
        b.wait()
        b.clear()
    d = now() - t0
    t.join()
    return d


emit("event_pingpong", per_op(run))
