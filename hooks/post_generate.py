"""Post-generation steps for a freshly rendered project: git init + first commit, uv lock.

The steps live in the package (``copier_ddd.hooks``) so that an installed `ddd` runs them
too; this file is the by-hand entry point from a checkout:

    python hooks/post_generate.py PROJECT_DIR
"""

import sys
from pathlib import Path

try:
    from copier_ddd.hooks import main, run_all
except ImportError:  # a checkout without copier-ddd installed: use its src/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from copier_ddd.hooks import main, run_all

__all__ = ["main", "run_all"]

if __name__ == "__main__":
    sys.exit(main())
