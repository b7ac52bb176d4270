"""The module renderer keeps copier's rules (the byte-for-byte tests are in test_add_module)."""

from pathlib import PurePosixPath

from copier._template import DEFAULT_EXCLUDE

from copier_ddd import render
from copier_ddd.output import tree


def test_the_default_exclusions_are_copiers() -> None:
    assert render._COPIER_DEFAULT_EXCLUDE == DEFAULT_EXCLUDE


def test_a_tree_lists_folders_first_and_summarises_below_the_depth() -> None:
    paths = [PurePosixPath(p) for p in ("b.txt", "src/x/a.py", "src/x/b.py", "a/c.txt")]
    assert tree(paths, root="p", max_depth=2).splitlines() == [
        "p/",
        "├── a/",
        "│   └── c.txt",
        "├── src/",
        "│   └── x/ (2 files)",
        "└── b.txt",
    ]
