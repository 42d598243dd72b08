"""女职工工作: women's committee, four-period protection, check-ups and insurance."""
