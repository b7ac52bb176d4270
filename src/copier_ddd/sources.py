"""Where the template lives: in this checkout, or inside the installed package."""

from pathlib import Path

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
