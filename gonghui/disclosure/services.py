"""Every write and workflow rule of 厂务公开."""
