"""Every write and workflow rule of 维权."""
