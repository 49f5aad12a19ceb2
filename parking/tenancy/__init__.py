"""Tenancy: agents, customers, lots, areas (inner lots) and lanes."""
