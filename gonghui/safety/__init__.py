"""安全生产: hazard cards, inspections, drills, safety contests and the quarterly draw."""
