"""thread_start_join: ns per threading.Thread start + join (empty target)."""

import threading

from common import emit, now, per_op


def nothing():
    pass


def run(n):
    t0 = now()
    for _ in range(n):
        t = threading.Thread(target=nothing)
        t.start()
        t.join()
    return now() - t0


emit("thread_start_join", per_op(run))
