"""Benchmarks: `python -m bench [NAME ...]` runs them and records figures in docs/benchmarks.md."""
