"""Services: proposals."""
