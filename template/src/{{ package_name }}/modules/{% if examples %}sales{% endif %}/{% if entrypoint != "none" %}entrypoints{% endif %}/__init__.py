"""How the outside world drives the sales use cases."""
