"""Benchmarks of tca-tapd against a raw httpx + json baseline measured in the same run."""
