"""厂务公开: open-affairs posts, reads and feedback."""
