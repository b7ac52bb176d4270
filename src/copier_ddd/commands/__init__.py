"""The command groups of `ddd`: each module has ``register(app)`` (see ``cli.COMMAND_GROUPS``)."""

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from ..errors import DddError
from ..output import fail

P = ParamSpec("P")
R = TypeVar("R")


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a :class:`DddError` into one line on stderr and a non-zero exit, no traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except DddError as error:
            raise fail(error) from None

    return wrapper
