"""condition_pingpong: ns per round trip, two threads passing a turn through
one threading.Condition with wait/notify."""

import threading

from common import emit, now, per_op

WARM = 16


def run(n):
    cond = threading.Condition()
    state = {"turn": 0, "t0": None}

    def play(me, rounds, mark_at):
        with cond:
            for i in range(rounds):
                if i == mark_at:
                    state["t0"] = now()
                while state["turn"] != me:
                    cond.wait()
                state["turn"] = 1 - me
                cond.notify()

    t = threading.Thread(target=play, args=(1, n + WARM, -1))
    t.start()
    play(0, n + WARM, WARM)
    t.join()
    return now() - state["t0"]


emit("condition_pingpong", per_op(run))
