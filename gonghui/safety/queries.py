"""Reads and registered metrics of 安全生产."""
