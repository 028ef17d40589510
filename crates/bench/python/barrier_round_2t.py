"""barrier_round_2t: ns per threading.Barrier round, 2 parties."""

from barrier import main

main(2)
