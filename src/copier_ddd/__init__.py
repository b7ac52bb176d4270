"""copier-ddd: render and grow Domain-Driven-Design, hexagonal Python services."""

__version__ = "0.1.0"
