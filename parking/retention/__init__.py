"""Retention (GA/T 1742-2020): how long a lot keeps its lane pictures and records, the purge, the storage report."""
