"""Benchmarks: speed and memory as ratios measured in one run (``make bench``).

Absolute seconds depend on the machine; a ratio of two timings taken in the same run does
not, so each benchmark compares the work with a reference on the same data and checks the
ratio against a stated bound. Results are written to ``bench/results/latest.json``.
"""
