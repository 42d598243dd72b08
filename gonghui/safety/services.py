"""Every write and workflow rule of 安全生产."""
