"""Where the template lives: in this checkout, inside the installed package, or in git.

``bundled_template()`` is the template this package ships. ``checkout()`` gives the files of
a project's template at the version the project records (``_src_path`` and ``_commit`` in its
``.copier-answers.yml``), the way copier itself would read them.
"""

import hashlib
import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DddError

if TYPE_CHECKING:
    from packaging.version import Version

_PACKAGE = Path(__file__).resolve().parent


def bundled_template() -> Path:
    """The copier template this package ships.

    In a checkout (or an editable install) that is the repository root; in a wheel, the
    copy under ``copier_ddd/template/``.
    """
    for candidate in (_PACKAGE.parents[1], _PACKAGE / "template"):
        if (candidate / "copier.yml").is_file() and (candidate / "naming.jinja").is_file():
            return candidate
    msg = f"the copier-ddd template is missing next to {_PACKAGE}: reinstall copier-ddd"
    raise FileNotFoundError(msg)


_URL_PREFIXES = ("gh:", "gl:", "git+", "git@", "https://", "http://", "ssh://", "file://")


def is_url(source: str) -> bool:
    """Whether ``source`` names a remote git repository rather than a local folder."""
    return source.startswith(_URL_PREFIXES)


def expand_url(source: str) -> str:
    """Copier's shortcuts spelled out: ``gh:owner/repo`` -> ``https://github.com/owner/repo.git``."""
    for prefix, host in (("gh:", "https://github.com/"), ("gl:", "https://gitlab.com/")):
        if source.startswith(prefix):
            rest = source.removeprefix(prefix)
            return host + rest + ("" if rest.endswith(".git") else ".git")
    return source.removeprefix("git+")


def git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run git quietly; the caller reads the return code."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def is_git_repository(folder: Path) -> bool:
    """Whether ``folder`` is the top of a git work tree."""
    if shutil.which("git") is None or not (folder / ".git").exists():
        return False
    result = git("rev-parse", "--show-toplevel", cwd=folder)
    return result.returncode == 0 and Path(result.stdout.strip()).resolve() == folder.resolve()


def updatable(source: str) -> bool:
    """Whether `copier update` can later update a project made from ``source``.

    It can when ``source`` is a git repository (a local one, or a URL): copier reads the
    versions from its tags and commits. A plain folder (the copy inside an installed wheel)
    has no versions to update from.
    """
    return is_url(source) or is_git_repository(Path(source).expanduser())


def is_dirty(repository: Path) -> bool:
    """Whether a git work tree has uncommitted changes (untracked files count)."""
    return bool(git("status", "--porcelain", cwd=repository).stdout.strip())


def cache_dir() -> Path:
    """Where remote templates are mirrored (``$XDG_CACHE_HOME/copier-ddd/templates``)."""
    from .caching import cache_root

    return cache_root() / "templates"


def version_key(tag: str) -> "Version | None":
    """The PEP 440 version of a release tag (``v1.2``, ``1.2.post1``), as copier reads tags.

    None for a tag that is not a version, or is a pre-release: copier orders tags with
    ``packaging`` and skips pre-releases unless asked for them, so ``ddd`` does the same.
    """
    from packaging.version import InvalidVersion, Version

    try:
        version = Version(tag)
    except InvalidVersion:
        return None
    return None if version.is_prerelease else version


def repository(source: str) -> Path | None:
    """The git repository of a template: a local one, or the mirror of a URL; None for a folder."""
    if is_url(source):
        return _mirror(expand_url(source), None)
    if is_git_repository(Path(source).expanduser()):
        return Path(source).expanduser()
    return None


def latest_version(source: str) -> str | None:
    """The newest release tag of a git template (what copier renders by default), or None."""
    found = repository(source)
    if found is None:
        return None
    tags = git("tag", "--list", cwd=found).stdout.split()
    return newest(tags)


def commit_of(repository: Path, ref: str) -> str | None:
    """The commit ``ref`` (a tag, a hash, `git describe` output) names, or None."""
    if ref.startswith("-"):
        return None
    result = git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=repository)
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def newest(tags: list[str]) -> str | None:
    """The newest release among ``tags`` (what copier renders by default), or None."""
    released = [(key, tag) for tag in tags if (key := version_key(tag)) is not None]
    return max(released, key=lambda pair: pair[0])[1] if released else None


@dataclass(frozen=True)
class Checkout:
    """A template's files on disk, and how faithfully they match the recorded version."""

    root: Path
    source: str
    version: str | None
    remark: str | None = None


def _mirror(url: str, commit: str | None) -> Path:
    """A local bare mirror of ``url`` that holds ``commit`` (fetched when missing)."""
    mirror = cache_dir() / hashlib.sha256(url.encode()).hexdigest()[:16]
    if not mirror.exists():
        mirror.parent.mkdir(parents=True, exist_ok=True)
        result = git("clone", "--quiet", "--mirror", "--", url, str(mirror))
        if result.returncode != 0:
            shutil.rmtree(mirror, ignore_errors=True)
            reason = (result.stderr.strip().splitlines() or ["unknown reason"])[-1]
            msg = f"cannot fetch the template {url} ({reason}): check the URL and your network"
            raise DddError(msg)
    elif commit is None or not _has_commit(mirror, commit):
        git("fetch", "--quiet", "--tags", "--prune", "origin", cwd=mirror)
    return mirror


def _has_commit(repository: Path, ref: str) -> bool:
    return git("cat-file", "-e", f"{ref}^{{commit}}", cwd=repository).returncode == 0


def _archive(repository: Path, ref: str, destination: Path) -> None:
    """Extract the files of ``ref`` into ``destination`` (like a checkout, without .git)."""
    result = subprocess.run(
        ["git", "archive", "--format=tar", ref],
        cwd=repository,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip()
        msg = f"cannot read version {ref} of the template in {repository}: {reason}"
        raise DddError(msg)
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(destination, filter="data")


@contextmanager
def checkout(source: str, version: str | None) -> Iterator[Checkout]:
    """The template ``source`` at ``version``, as copier would render it.

    - a local git repository whose clean HEAD is ``version``: used in place (fast path);
    - a local git repository: the files of ``version`` (``git archive``) in a temporary folder;
      a version the repository does not hold (the project was rendered from uncommitted
      template changes) falls back to its work tree, with a remark;
    - a git URL: mirrored once under :func:`cache_dir`, then as above;
    - a plain folder: used as it is (it has no versions), with a remark when a version was
      recorded.
    """
    if is_url(source):
        repository = _mirror(expand_url(source), version)
        ref = version or "HEAD"
        if not _has_commit(repository, ref):
            msg = f"the template {source} has no version {ref}: was it deleted upstream?"
            raise DddError(msg)
        with tempfile.TemporaryDirectory(prefix="ddd-template-") as mirrored:
            _archive(repository, ref, Path(mirrored))
            yield Checkout(Path(mirrored), source, version)
        return
    folder = Path(source).expanduser()
    if not (folder / "copier.yml").is_file() and not (folder / "copier.yaml").is_file():
        msg = (
            f"the project's template {source} is gone (no copier.yml there): restore it, or "
            "point `_src_path` in .copier-answers.yml at a copy of it"
        )
        raise DddError(msg)
    if version is None or not is_git_repository(folder):
        remark = None
        if version is not None:
            remark = f"{source} is not a git repository: using its files, whatever their version"
        yield Checkout(folder, source, version, remark)
        return
    if not _has_commit(folder, version):
        remark = (
            f"version {version} is not in {source} (rendered from uncommitted template "
            "changes?): using its work tree"
        )
        yield Checkout(folder, source, version, remark)
        return
    head = git("rev-parse", "HEAD", cwd=folder).stdout.strip()
    wanted = git("rev-parse", f"{version}^{{commit}}", cwd=folder).stdout.strip()
    if head == wanted and not is_dirty(folder):
        yield Checkout(folder, source, version)
        return
    with tempfile.TemporaryDirectory(prefix="ddd-template-") as extracted:
        _archive(folder, wanted, Path(extracted))
        yield Checkout(Path(extracted), source, version)
