"""Tests of the `ddd` command line."""
