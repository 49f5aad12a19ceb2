"""Overview aggregates for the dashboard's home page."""
