"""Parking sessions (停车记录): entry and exit events, inner-lot stays, the bill of a stay."""
