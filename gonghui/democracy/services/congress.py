"""Services: congress."""
