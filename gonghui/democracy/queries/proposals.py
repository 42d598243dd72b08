"""Reads and metrics: proposals."""
