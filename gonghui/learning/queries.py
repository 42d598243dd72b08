"""Reads and registered metrics of 学习培训."""
