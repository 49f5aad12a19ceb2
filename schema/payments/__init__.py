"""Payments GraphQL: start a payment for a stay, check its status, record cash."""
