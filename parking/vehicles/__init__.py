"""Vehicles and their owners: long-term owners, wallets, vehicle groups, category lists and passes, and what a
plate stands as at a lot at a moment (``standing``)."""
