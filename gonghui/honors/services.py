"""Every write and workflow rule of 评先评优."""
