"""The Starlette application: the composition root."""
