"""Driving adapters: how the outside world calls the use cases."""
