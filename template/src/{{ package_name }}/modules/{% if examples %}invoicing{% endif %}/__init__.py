"""A bounded context around the Invoice aggregate: it bills the orders that sales places."""
