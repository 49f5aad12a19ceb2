"""Vehicles and their owners: long-term owners, wallets, vehicle groups, category lists and passes."""
