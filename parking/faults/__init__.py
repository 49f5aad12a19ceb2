"""Fault tickets for field technicians."""
