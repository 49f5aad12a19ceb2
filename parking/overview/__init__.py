"""Figures for the home overview: revenue, traffic, occupancy and open alarms, each one aggregate query."""
