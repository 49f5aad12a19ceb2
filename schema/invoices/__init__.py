"""GraphQL for electronic invoice requests."""
