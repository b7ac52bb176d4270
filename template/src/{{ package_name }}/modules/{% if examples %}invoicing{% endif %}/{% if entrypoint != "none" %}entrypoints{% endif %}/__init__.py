"""How the outside world reads and issues invoices."""
