# Sourced by the scripts: make sure uv, Graphviz's dot and the project's .venv exist and are
# current. Nothing is installed into the machine's Python: without uv on PATH, uv is installed
# into a private virtual environment under .cache/ of this checkout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# An activated environment of another project would make every `uv run` warn that
# VIRTUAL_ENV does not match; uv finds each project's own .venv by itself.
unset VIRTUAL_ENV
say() { echo "setup: $*" >&2; }

if command -v uv >/dev/null 2>&1; then
    UV=(uv)
else
    bootstrap=.cache/bootstrap
    if [ ! -x "$bootstrap/bin/uv" ]; then
        say "uv is not on PATH: installing it into $bootstrap (a private virtual environment)"
        python3 -m venv "$bootstrap" || {
            say "python3 -m venv failed: install Python's venv module (Debian: apt-get install python3-venv)"
            exit 1
        }
        "$bootstrap/bin/python" -m pip install --quiet --disable-pip-version-check uv
    fi
    UV=("$PWD/$bootstrap/bin/uv")
fi

# `ddd graph --format svg/png` (and its tests) draw with Graphviz's `dot`: Debian's package.
if ! command -v dot >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing Graphviz (apt-get install graphviz) for \`ddd graph --format svg\`"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null
    else
        say "Graphviz's dot is missing: \`ddd graph --format svg/png\` and its tests need it" \
            "(apt-get install graphviz, brew install graphviz)"
    fi
fi

# --locked refuses a lock file that no longer matches pyproject.toml; then re-resolve.
# --compile-bytecode writes every package's .pyc once, as pip does: without it, a shell with
# PYTHONDONTWRITEBYTECODE set recompiles copier, pydantic and typer on every `ddd` run
# (`ddd add-module` 0.50 s -> 0.26 s).
if [ ! -d .venv ]; then
    say "creating .venv with the locked dependencies (a minute the first time)"
fi
"${UV[@]}" sync --quiet --locked --compile-bytecode 2>/dev/null ||
    "${UV[@]}" sync --quiet --compile-bytecode
export PATH="$PWD/.venv/bin:$PATH"
