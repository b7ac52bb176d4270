"""The use cases and the message handler of this module, each one transaction."""

from .draft_invoice import DraftInvoice
from .get import get_invoice
from .issue import issue_invoice
from .list_all import list_invoices
from .views import InvoiceView, to_view

__all__ = [
    "DraftInvoice",
    "InvoiceView",
    "get_invoice",
    "issue_invoice",
    "list_invoices",
    "to_view",
]
