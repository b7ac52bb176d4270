"""Bounded contexts: one sub-package per module, discovered by convention at start-up."""
