"""GraphQL for device fault tickets."""
