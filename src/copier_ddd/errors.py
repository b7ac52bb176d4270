"""The one kind of error a user sees: a plain sentence that says what is wrong and what to do."""


class DddError(Exception):
    """A user-facing problem: printed as one line, the command exits non-zero.

    Never raised for a bug in copier-ddd itself: those keep their traceback.
    """

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
