"""GraphQL for tariffs: versions, quotes and the fee simulator."""
