"""End-to-end tests: the service driven from outside, as its users drive it."""
