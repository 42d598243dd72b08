"""Every write and workflow rule of 学习培训."""
