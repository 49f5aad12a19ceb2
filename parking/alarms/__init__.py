"""Alarms raised by lanes and devices for the cloud seat (云座席)."""
