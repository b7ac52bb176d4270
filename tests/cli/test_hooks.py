"""The post-generation steps: the first commit is exactly what `git add --all` would commit."""

import shutil
from pathlib import Path

from copier_ddd import hooks
from tests.support import git


def a_project(root: Path) -> Path:
    """Files of every kind a first commit must get right."""
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "src" / "pkg" / "__init__.py").write_text('"""A package."""\n')
    (root / ".gitignore").write_text("*.log\n.venv/\n")
    (root / "debug.log").write_text("ignored\n")
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("ignored too\n")
    script = root / "run.sh"
    script.write_text("#!/bin/sh\necho run\n")
    script.chmod(0o755)
    (root / "link").symlink_to("run.sh")
    (root / "a name with spaces.txt").write_text("spaces\n")
    (root / '"quoted".txt').write_text("a quote first\n")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.bin").write_bytes(bytes(range(256)))
    return root


def test_the_first_commit_holds_what_git_add_all_would_with_modes_and_links(
    tmp_path: Path,
) -> None:
    ours = a_project(tmp_path / "ours")
    twin = shutil.copytree(ours, tmp_path / "twin", symlinks=True)
    git(twin, "init", "--quiet")
    git(twin, "add", "--all")
    expected_tree = git(twin, "write-tree").strip()

    result = hooks.git_init_and_commit(ours)

    assert result.done, result.detail
    assert git(ours, "rev-parse", "HEAD^{tree}").strip() == expected_tree
    assert git(ours, "status", "--porcelain", "--ignored") == "!! .venv/\n!! debug.log\n"
    assert git(ours, "log", "--format=%s|%an|%cn") == (
        f"{hooks.FIRST_COMMIT_MESSAGE}|copier-ddd|copier-ddd\n"
    )
    assert git(ours, "branch", "--show-current").strip() == "main"


def test_an_existing_repository_is_left_as_it_is(tmp_path: Path) -> None:
    project = a_project(tmp_path / "project")
    git(project, "init", "--quiet")

    result = hooks.git_init_and_commit(project)

    assert not result.done
    assert "already a git repository" in result.detail
    assert "?? run.sh" in git(project, "status", "--porcelain")  # nothing was committed
