"""A bounded context around the Order aggregate."""
