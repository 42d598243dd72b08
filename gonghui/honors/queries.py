"""Reads and registered metrics of 评先评优."""
