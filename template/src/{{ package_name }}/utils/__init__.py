"""Small helpers with no business meaning."""
