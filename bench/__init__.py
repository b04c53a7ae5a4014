"""Reproducible benchmarks; each prints its baseline and the ratio in the same run."""
