"""Benchmarks: each bench_*.py module prints figures and ratios against a floor measured in the same run."""
