"""How this module's repository scales."""
