"""Outbound ports: what the use cases need from the outside world, in their own words."""

from abc import ABC, abstractmethod
from decimal import Decimal


class Notifier(ABC):
    """Tells a person something (e-mail, chat, SMS...: an adapter decides)."""

    @abstractmethod
    def notify(self, recipient: str, message: str) -> None:
        """Deliver ``message`` to ``recipient``."""


class ExchangeRatesUnavailableError(Exception):
    """The exchange rates could not be obtained; nothing was changed."""


class ExchangeRates(ABC):
    """Current exchange rates, from an external service."""

    @abstractmethod
    def rate(self, base: str, quote: str) -> Decimal:
        """How many ``quote`` one ``base`` buys; ``ExchangeRatesUnavailableError`` if unknown."""
