"""GraphQL for the cloud seat's alarm handling."""
