"""Services: elections."""
