"""Plans: the schema, curves, payout, plain-English description, exploration and editing helpers."""
