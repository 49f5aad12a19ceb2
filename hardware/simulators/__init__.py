"""Loopback simulators of lane devices, used by tests and local demos."""
