"""Shared body of the barrier_round_* CPython peers."""

import threading

from common import emit, now, per_op

WARM = 8


def rounds(parties, n):
    barrier = threading.Barrier(parties)

    def party():
        for _ in range(WARM + n):
            barrier.wait()

    others = [threading.Thread(target=party) for _ in range(parties - 1)]
    for t in others:
        t.start()
    for _ in range(WARM):
        barrier.wait()
    t0 = now()
    for _ in range(n):
        barrier.wait()
    d = now() - t0
    for t in others:
        t.join()
    return d


def main(parties):
    emit(f"barrier_round_{parties}t", per_op(lambda n: rounds(parties, n)))
