"""Configuration: settings read from the environment and `.env`."""
