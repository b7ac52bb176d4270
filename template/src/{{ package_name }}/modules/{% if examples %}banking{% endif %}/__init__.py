"""A worked example (the `examples` answer): accounts, a balance alert and exchange rates.

- A domain event (``BalanceFellBelowThreshold``) whose handler notifies through a port
  (``Notifier``) once the unit of work has committed, never before and never on rollback.
- An outbound port to an external HTTP API (``ExchangeRates``), with an httpx adapter in
  infrastructure and a fake in the tests.
"""
