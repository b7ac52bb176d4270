"""Configuration: settings read from the environment and `.env`, and logging (logs.py)."""
