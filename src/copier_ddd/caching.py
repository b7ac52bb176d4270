"""Compiled Jinja templates kept between runs, so `ddd add-module` does not recompile them.

The cache key is the template's name (its path inside the template), not the folder it was
read from: a project's template is often extracted into a fresh temporary folder. Jinja
checks each cached entry against the checksum of the source, so a changed template is
recompiled, never served stale.
"""

import hashlib
import os
from pathlib import Path

from jinja2 import FileSystemBytecodeCache


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/copier-ddd`` (``~/.cache/copier-ddd``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "copier-ddd"


class _ByNameCache(FileSystemBytecodeCache):
    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        del filename
        return hashlib.sha256(name.encode()).hexdigest()


def bytecode_cache() -> FileSystemBytecodeCache | None:
    """The shared cache, or None when the cache folder cannot be created."""
    folder = cache_root() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _ByNameCache(str(folder))
