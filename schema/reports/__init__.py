"""GraphQL of the reports (parking.reports)."""
