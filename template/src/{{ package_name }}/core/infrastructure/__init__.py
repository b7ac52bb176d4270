"""Shared adapters: databases, the in-memory store and module registration."""
