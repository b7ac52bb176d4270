"""Benchmarks of copier-ddd: `python -m bench.run` runs them all and prints one table."""
