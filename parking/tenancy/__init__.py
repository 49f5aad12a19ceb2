"""Tenancy: agents, customers, lots, areas (inner lots), lanes and devices."""
