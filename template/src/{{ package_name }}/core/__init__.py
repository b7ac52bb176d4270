"""Shared kernel: base types and ports that every bounded context builds on."""
