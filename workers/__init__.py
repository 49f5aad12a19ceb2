"""Dramatiq actors: recognition, notifications, reports, reconciliation."""
