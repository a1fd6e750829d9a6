"""Benchmarks run by hand (``make bench-…``); not part of the portal or its tests."""
