"""Reads and registered metrics of 维权."""
