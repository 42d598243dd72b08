"""Every write and workflow rule of 职工意见."""
