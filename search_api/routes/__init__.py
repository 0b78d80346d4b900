"""The API's routes, one module per concept: acts and provisions, search, service (taxonomy, health)."""
