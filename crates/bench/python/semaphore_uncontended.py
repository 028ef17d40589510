"""semaphore_uncontended: ns per threading.Semaphore acquire+release, 1 thread."""

import threading

from common import emit, now, per_op


def run(n):
    sem = threading.Semaphore(1)
    t0 = now()
    for _ in range(n):
        sem.acquire()
        sem.release()
    return now() - t0


emit("semaphore_uncontended", per_op(run))
