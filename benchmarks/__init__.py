"""Reproducible benchmarks: ``python -m benchmarks`` prints one JSON object per line.

See ``__main__`` for the environment it honours. Timings are reported, never asserted.
"""
