"""The repository contract of this module, on every backend."""
