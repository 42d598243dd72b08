"""Reads and metrics: elections."""
