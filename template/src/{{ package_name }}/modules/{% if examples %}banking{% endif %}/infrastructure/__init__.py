"""The banking adapters: tables, repositories, the exchange-rates client and the notifier."""
