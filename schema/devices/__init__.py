"""GraphQL for field devices: registration with a probe, commands and their results, push secrets."""
