"""Reads and registered metrics of 职工意见."""
