"""The core, tested once on a model of the tests' own (not on any module)."""
