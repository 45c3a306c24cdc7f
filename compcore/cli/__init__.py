"""python -m compcore payout|describe|simulate|metrics: one module per command."""
