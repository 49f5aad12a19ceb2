"""Device adapters behind Protocols, one vendor per module, and loopback simulators. Never imports parking/."""
