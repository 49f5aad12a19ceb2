"""GraphQL for tenancy: agents, customers, lots, areas, lanes."""
