"""维权: collective contracts, negotiation rounds, disputes, legal aid and supervision."""
