"""Value objects: immutable, compared by value, valid from birth."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ValueObject:
    """Base of frozen dataclasses that check their own rules.

    Subclasses are ``@dataclass(frozen=True, slots=True)`` and override :meth:`validate`,
    raising a ``ValidationError`` so that an invalid value can never be built.
    """

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ``ValidationError`` when the fields break a rule; the default accepts all."""
