"""Failures of the application layer that are not the domain's."""


class ConcurrencyError(Exception):
    """Another unit of work changed the aggregate since this one read it: nothing was saved.

    Reload the aggregate and try again.
    """

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"{what} was changed by someone else since it was read; "
            "nothing was saved: reload it and try again",
        )


class OperationalError(Exception):
    """The service cannot do its work: bad configuration, an unreachable database, an
    unreadable data file. The message is one line for whoever runs the service, never
    holding a secret; entrypoints show it instead of a traceback.
    """


class UnitOfWorkNotStartedError(RuntimeError):
    """A repository was asked for outside ``with unit_of_work:``."""

    def __init__(self) -> None:
        super().__init__("use the unit of work in a `with` block before asking for a repository")
