"""The message bus, the outbox and the broker, on messages and handlers of the tests."""
