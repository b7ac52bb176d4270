"""The invoicing domain: pure Python, no framework and no I/O."""

from .errors import InvoiceIsIssuedError
from .events import InvoiceDrafted, InvoiceIssued
from .model import Invoice, InvoiceId, InvoiceStatus
from .repository import InvoiceRepository

__all__ = [
    "Invoice",
    "InvoiceDrafted",
    "InvoiceId",
    "InvoiceIsIssuedError",
    "InvoiceIssued",
    "InvoiceRepository",
    "InvoiceStatus",
]
