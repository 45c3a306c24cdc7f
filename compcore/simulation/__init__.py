"""Monte Carlo: scenario and roster, distributions, correlated draws, pricing, simulate, sensitivity."""
