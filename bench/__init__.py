"""Benchmarks: ``python -m bench NAME`` prints one JSON line with its figures."""
