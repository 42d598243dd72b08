"""Every write and workflow rule of 女职工工作."""
