"""Reads and metrics: congress."""
