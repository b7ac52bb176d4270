"""The command groups of `ddd`: each module has ``register(app)`` (see ``cli.COMMAND_GROUPS``)."""

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from ..errors import DddError
from ..output import fail

P = ParamSpec("P")
R = TypeVar("R")


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a :class:`DddError` (or an OSError) into one line on stderr and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except DddError as error:
            raise fail(error) from None
        except OSError as error:  # a read-only folder, a full disk: no traceback for those
            where = f" ({error.filename})" if error.filename else ""
            reason = error.strerror or str(error)
            message = f"{reason}{where}: check the folder's permissions and free space"
            raise fail(DddError(message)) from None

    return wrapper
