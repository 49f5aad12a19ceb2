"""Cloud plate recognition results and the correction queue for the cloud seat."""
