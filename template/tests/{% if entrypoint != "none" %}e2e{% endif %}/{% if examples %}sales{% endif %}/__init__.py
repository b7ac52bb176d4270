"""End-to-end tests of the sales module."""
