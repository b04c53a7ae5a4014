"""Metrics and logs: the bottom floor every layer may count and log through; it imports nothing of ours."""
