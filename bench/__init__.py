"""QGov's benchmarks: standalone scripts, listed and run by `python -m bench.run`."""
