"""The ``sales`` routes of the generated example, written by hand (see ``app.py``)."""
