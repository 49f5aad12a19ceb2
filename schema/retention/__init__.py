"""GraphQL for retention: a lot's retention setting and its storage usage."""
