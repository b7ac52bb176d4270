"""Unit tests of the banking example."""
