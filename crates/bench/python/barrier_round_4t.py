"""barrier_round_4t: ns per threading.Barrier round, 4 parties."""

from barrier import main

main(4)
