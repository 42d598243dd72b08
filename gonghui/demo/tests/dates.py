from datetime import date

SEED = 2026
TODAY = date(2026, 11, 26)
