"""Benchmarks that print figures; run with `python -m bench` (not part of the test run)."""
