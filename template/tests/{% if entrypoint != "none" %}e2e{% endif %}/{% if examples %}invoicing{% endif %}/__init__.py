"""End-to-end tests of the invoicing module."""
