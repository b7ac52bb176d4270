"""The domain's failures, in the domain's words."""


class DomainError(Exception):
    """Base class of every domain failure: catch it to handle them all in one place."""


class ValidationError(DomainError):
    """A value does not satisfy its rules (entrypoints answer 422)."""


class BusinessRuleError(DomainError):
    """An operation would break an invariant of an aggregate (entrypoints answer 409)."""


class NotFoundError(DomainError):
    """No aggregate of that kind has that id (entrypoints answer 404)."""

    def __init__(self, kind: str, entity_id: object) -> None:
        self.kind = kind
        self.entity_id = entity_id
        super().__init__(f"{kind} {entity_id} was not found")
