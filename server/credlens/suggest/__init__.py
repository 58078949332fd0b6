"""What the reader sees besides the scores: a suggested headline and a short summary."""
