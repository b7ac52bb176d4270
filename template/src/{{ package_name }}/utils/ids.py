"""Identifiers."""

import uuid


def new_id() -> uuid.UUID:
    """A fresh random identifier."""
    return uuid.uuid4()
