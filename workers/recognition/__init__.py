"""Cloud plate recognition: the vote over readings and the synthetic training data generator."""
