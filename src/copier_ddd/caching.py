"""Compiled Jinja templates kept between runs, so that `ddd` does not recompile them.

Compiling is most of what a render costs: the template's macro files alone compile into some
700 KB of Python on every run. `ddd` renders with its own Jinja environments (``naming``,
``render``) and, for `ddd new` and `ddd update`, through copier, whose environment is given
the same cache by :func:`keep_compiled_templates`.

An entry is found by the template's name (its path inside the template), not by the folder it
was read from (a project's template is often extracted into a fresh temporary folder), and by
the environment's settings that change the compiled code (delimiters, whitespace handling,
extensions): two environments that would compile a file differently never share its entry.
Jinja checks each entry against the checksum of the source, so a changed template is
recompiled, never served stale.
"""

import hashlib
import os
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/copier-ddd`` (``~/.cache/copier-ddd``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "copier-ddd"


def _settings(environment: Environment) -> str:
    """What, besides the source, decides the code a template compiles to."""
    lexing = (
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
    )
    return repr(
        (
            type(environment).__qualname__,
            lexing,
            sorted(environment.extensions),
            environment.optimized,
            environment.autoescape if isinstance(environment.autoescape, bool) else "callable",
        )
    )


class _ByNameCache(FileSystemBytecodeCache):
    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        del filename
        key = hashlib.sha256(f"{name}\0{_settings(environment)}".encode()).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket


def bytecode_cache() -> FileSystemBytecodeCache | None:
    """The shared cache, or None when the cache folder cannot be created."""
    folder = cache_root() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _ByNameCache(str(folder))


def keep_compiled_templates() -> bool:
    """Give copier's Jinja environment the cache too (once per process); whether it has it.

    copier has no setting for it: its ``Worker`` builds the environment in the cached
    property ``jinja_env``, which is wrapped here to attach the cache after copier made it.
    A copier whose ``Worker`` is built otherwise renders as before, only slower.
    """
    from copier import _main  # copier's public API has no hook for Jinja's bytecode cache

    worker = getattr(_main, "Worker", None)
    built = getattr(worker, "jinja_env", None)
    if getattr(built, "keeps_compiled_templates", False):
        return True
    if worker is None or not isinstance(built, cached_property):
        return False
    make = built.func

    def jinja_env(self: object) -> Environment:
        environment: Environment = make(self)
        environment.bytecode_cache = bytecode_cache()
        return environment

    wrapped = cached_property(jinja_env)
    wrapped.__set_name__(worker, "jinja_env")
    wrapped.keeps_compiled_templates = True  # type: ignore[attr-defined]
    worker.jinja_env = wrapped
    return True
