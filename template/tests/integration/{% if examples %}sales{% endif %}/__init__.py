"""Tests of the sales module."""
