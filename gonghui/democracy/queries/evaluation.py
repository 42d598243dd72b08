"""Reads and metrics: evaluation."""
