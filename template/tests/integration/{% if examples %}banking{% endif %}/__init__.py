"""Integration tests of the banking example: SQLite and the HTTP adapter."""
