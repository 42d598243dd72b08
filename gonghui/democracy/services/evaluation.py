"""Services: evaluation."""
