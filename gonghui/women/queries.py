"""Reads and registered metrics of 女职工工作."""
