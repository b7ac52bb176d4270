"""Tests of the copier-ddd template and the `ddd` CLI."""
