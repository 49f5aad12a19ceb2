"""The cloud side of field devices: registration with a probe, health polling, commands and their results."""
