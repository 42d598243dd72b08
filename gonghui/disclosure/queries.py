"""Reads and registered metrics of 厂务公开."""
