"""ParkCloud's domain: models, use-cases and pure rule engines."""
