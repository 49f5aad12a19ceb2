"""Training scripts for the recognition models; they need the `train` extra (see docs/recognition.md)."""
