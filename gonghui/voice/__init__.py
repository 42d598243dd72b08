"""职工意见: members' opinions and rationalisation suggestions."""
