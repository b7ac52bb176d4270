"""Render one module's files exactly as copier renders them, without running copier.

`copier update` re-renders a whole project twice; adding a module needs only the template
paths that loop over the modules (``{% yield module from module_specs %}``). This renderer
mirrors copier's rendering of those paths - the same Jinja environment (sandbox, copier's
filters, ``keep_trailing_newline``), the same context (the recorded answers plus the
computed, never-asked ones such as ``module_specs``), the same path rules (``.jinja``
suffix, empty parts skipped, ``_exclude``) - so its output is byte for byte copier's. A
test renders [a, b] with copier and [a] + `ddd add-module b` and compares the trees.

Jinja and the filters are imported here, not by `ddd --help`; copier itself never is.
"""

import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Any

import yaml
from jinja2 import FileSystemLoader, Template, nodes
from jinja2.exceptions import TemplateError, UndefinedError
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.sandbox import SandboxedEnvironment

from .caching import bytecode_cache
from .errors import DddError
from .project import ANSWERS_FILE, outside

YIELD_TAG = "{% yield"
TEMPLATE_SUFFIX = ".jinja"


_FALSE = frozenset({"", "0", "false", "no", "n", "off", "null", "none", "~"})


class YieldExtension(Extension):
    """copier's ``{% yield NAME from ITERABLE %}...{% endyield %}`` path tag.

    Rendering records which variable a path part loops over, and renders its body as usual;
    the caller then renders the part once per value (as copier's ``_render_parts`` does).
    """

    tags = {"yield"}  # noqa: RUF012 - the type jinja2.ext.Extension declares

    def __init__(self, environment: SandboxedEnvironment) -> None:
        super().__init__(environment)
        self.loop: tuple[str, Iterable[Any]] | None = None

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        """Forget the loop of the previous string."""
        del name, filename
        self.loop = None
        return source

    def parse(self, parser: Parser) -> nodes.Node:
        """``{% yield NAME from EXPRESSION %} body {% endyield %}``."""
        lineno = next(parser.stream).lineno
        target = parser.parse_assign_target(name_only=True)
        parser.stream.expect("name:from")
        iterable = parser.parse_expression()
        body = parser.parse_statements(("name:endyield",), drop_needle=True)
        call = self.call_method("_loop", [nodes.Const(target.name), iterable])
        return nodes.CallBlock(call, [], [], body, lineno=lineno)

    def _loop(self, name: str, iterable: Iterable[Any], caller: Callable[[], str]) -> str:
        self.loop = (name, iterable)
        try:
            return caller()
        except UndefinedError:
            return ""


@dataclass(frozen=True)
class RenderedFile:
    """One file as copier would write it."""

    path: PurePosixPath
    content: bytes
    mode: int


@dataclass
class ModuleRender:
    """Everything the template renders for one module, relative to the project root."""

    module: str
    aggregate: str = ""
    files: dict[PurePosixPath, RenderedFile] = field(default_factory=dict)
    folders: set[PurePosixPath] = field(default_factory=set)
    roots: set[PurePosixPath] = field(default_factory=set)


def _cast(type_name: str, value: Any) -> Any:  # noqa: ANN401 - an answer of any type
    """copier's casting of a question's default to its type."""
    if not isinstance(value, str):
        return value
    if type_name in {"yaml", ""}:  # libyaml when installed: module_specs is a large document
        return yaml.load(value, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    if type_name == "json":
        return json.loads(value)
    if type_name == "bool":
        return value.strip().lower() not in _FALSE
    if type_name == "int":
        return int(value)
    if type_name == "float":
        return float(value)
    return value


def _to_jsonable(value: object) -> object:
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, Mapping):
        return dict(value)
    msg = f"{type(value).__name__} is not JSON serialisable"
    raise TypeError(msg)


def _pathjoin(*parts: str, mode: str = "posix") -> str:
    kinds: dict[str, type[PurePath]] = {
        "posix": PurePosixPath,
        "windows": PureWindowsPath,
        "native": PurePath,
    }
    return str(kinds[mode](*parts))


class TemplateRenderer:
    """The template at ``root``, ready to render paths for the project at ``project_root``."""

    def __init__(self, root: Path, project_root: Path, answers: Mapping[str, Any]) -> None:
        self.root = root
        self.project_root = project_root
        config_file = root / "copier.yml"
        if not config_file.is_file():
            config_file = root / "copier.yaml"
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed
        text = config_file.read_text(encoding="utf-8")
        self.config: dict[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
        if self.config.get("_jinja_extensions"):
            msg = f"the template {root} uses Jinja extensions, which `ddd` cannot render"
            raise DddError(msg)
        self.suffix = str(self.config.get("_templates_suffix", TEMPLATE_SUFFIX))
        self.copy_root = root / str(self.config.get("_subdirectory", ""))
        self.environment = self._environment()
        self._strings: dict[str, Template] = {}
        self.answers = dict(answers)
        self.context: dict[str, Any] = {}
        self._compute_context()

    def _environment(self) -> SandboxedEnvironment:
        envops: dict[str, Any] = dict(self.config.get("_envops") or {})
        envops.setdefault("keep_trailing_newline", True)
        if envops.get("undefined") is not None:
            msg = "the template sets `_envops.undefined`, which `ddd` cannot render"
            raise DddError(msg)
        environment = SandboxedEnvironment(
            loader=FileSystemLoader(str(self.root.resolve())),
            bytecode_cache=bytecode_cache(),
            extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension", YieldExtension],
            **envops,
        )
        to_json = environment.filters["to_json"]
        environment.filters["to_json"] = lambda value, *args, **kwargs: to_json(
            value, *args, default=_to_jsonable, **kwargs
        )
        environment.globals["pathjoin"] = _pathjoin
        return environment

    def _compute_context(self) -> None:
        """The recorded answers, and every question's default that is not recorded."""
        context = self.context
        context.update({k: v for k, v in self.answers.items() if not k.startswith("_")})
        for key, question in self.config.items():
            if key.startswith("_"):
                continue
            spec = question if isinstance(question, Mapping) else {"default": question}
            if key in self.answers:
                context[key] = self.answers[key]
                continue
            default = spec.get("default")
            if isinstance(default, str):
                default = self.render_string(default)
            context[key] = _cast(str(spec.get("type", "")), default)

    def _full_context(self, extra: Mapping[str, Any]) -> dict[str, Any]:
        conf: dict[str, object] = {
            "src_path": PurePath(self.root),
            "dst_path": PurePath(self.project_root),
            "answers_file": PurePath(ANSWERS_FILE),
            "vcs_ref": self.answers.get("_commit"),
            "vcs_ref_hash": None,
            "data": {},
            "sep": os.sep,
            "os": {"linux": "linux", "darwin": "macos", "win32": "windows"}.get(sys.platform),
        }
        return {
            **self.context,
            "_copier_answers": self.answers,
            "_copier_conf": conf,
            "_folder_name": self.project_root.name,
            "_copier_python": sys.executable,
            "_copier_phase": "render",
            **extra,
        }

    @property
    def _yield(self) -> YieldExtension:
        extension = self.environment.extensions[YieldExtension.identifier]
        if not isinstance(extension, YieldExtension):  # pragma: no cover - registered above
            raise TypeError(extension)
        return extension

    def render_string(self, source: str, extra: Mapping[str, Any] | None = None) -> str:
        """Render a template string with the project's context."""
        if not any(marker in source for marker in ("{{", "{%", "{#")):
            self._yield.loop = None
            return source  # what Jinja renders for a string without markup
        compiled = self._strings.get(source)
        if compiled is None:
            compiled = self._strings[source] = self.environment.from_string(source)
        else:
            self._yield.loop = None  # from_string's preprocess does this on first use
        return compiled.render(**self._full_context(extra or {}))

    def _exclusions(self) -> Callable[[str], bool]:
        patterns = [self.render_string(str(p)) for p in self.config.get("_exclude") or []]
        if not self.config.get("_subdirectory"):
            patterns = [*_COPIER_DEFAULT_EXCLUDE, *patterns]
        if not patterns:
            return lambda _path: False
        import pathspec  # only templates that exclude files pay for it

        style = "gitignore" if int(pathspec.__version__.split(".")[0]) >= 1 else "gitwildmatch"
        spec = pathspec.PathSpec.from_lines(style, patterns)
        return spec.match_file

    def module(self, module: str) -> ModuleRender:
        """The files and folders the template renders for ``module`` (nothing else)."""
        specs = self.context.get("module_specs") or []
        aggregate = next((s.get("aggregate", "") for s in specs if s.get("name") == module), "")
        result = ModuleRender(module, str(aggregate))
        excluded = self._exclusions()
        for source in self._looping_paths():
            relative = source.relative_to(self.copy_root)
            is_template = source.is_file() and source.name.endswith(self.suffix)
            shadowed = source.with_name(source.name + self.suffix)
            if source.is_file() and not is_template and self.suffix and shadowed.exists():
                continue
            parts = relative.parts
            if is_template:
                parts = (*parts[:-1], parts[-1][: -len(self.suffix)])
            for destination, root, extra in self._render_parts(parts, module):
                if excluded(destination.as_posix()):
                    continue
                if outside(self.project_root, destination):
                    msg = (
                        f"the template path {relative.as_posix()} renders to {destination}, "
                        f"outside the project {self.project_root}: `ddd` writes and deletes only "
                        "inside it (copier refuses such a template too)"
                    )
                    raise DddError(msg)
                result.roots.add(root)
                if source.is_dir():
                    result.folders.add(destination)
                    continue
                if is_template:
                    template = self.environment.get_template(
                        source.relative_to(self.root).as_posix()
                    )
                    content = template.render(**self._full_context(extra)).encode()
                else:
                    content = source.read_bytes()
                mode = source.stat().st_mode & 0o7777
                result.files[destination] = RenderedFile(destination, content, mode)
        if not result.files:
            msg = f"the template renders no files for module '{module}': is it copier-ddd's?"
            raise DddError(msg)
        return result

    def _looping_paths(self) -> list[Path]:
        root = str(self.copy_root)
        found = []
        for folder, folders, files in os.walk(root):
            folders.sort()
            below = folder[len(root) :]  # the folder's path under the root, by its text alone
            for name in sorted([*folders, *files]):
                if YIELD_TAG in below or YIELD_TAG in name:
                    found.append(Path(folder, name))
        return found

    def _render_parts(
        self, parts: tuple[str, ...], module: str
    ) -> list[tuple[PurePosixPath, PurePosixPath, dict[str, Any]]]:
        """(destination, module root, context) for the one value of the loop that is ``module``."""
        rendered: list[str] = []
        root: PurePosixPath | None = None
        extra: dict[str, Any] = {}
        for part in parts:
            try:
                text = self.render_string(part, extra)
                loop = self._yield.loop
                if loop is not None:
                    name, values = loop
                    chosen = [
                        v for v in values if isinstance(v, Mapping) and v.get("name") == module
                    ]
                    if not chosen:
                        return []
                    extra = {**extra, name: chosen[0]}
                    text = self.render_string(part, extra)
            except TemplateError as error:
                msg = f"the template path {'/'.join(parts)} does not render: {error}"
                raise DddError(msg) from None
            if not text:
                return []
            rendered.append(text)
            if loop is not None:
                root = PurePosixPath(*rendered)
        if root is None:  # pragma: no cover - only looping paths reach here
            return []
        return [(PurePosixPath(*rendered), root, extra)]

    def answers_file(self, answers: Mapping[str, Any]) -> bytes:
        """``.copier-answers.yml`` as copier writes it for ``answers``."""
        for source in sorted(self.copy_root.iterdir()):
            name = source.name
            if not name.endswith(self.suffix) or "answers_file" not in name:
                continue
            if self.render_string(name[: -len(self.suffix)]) != ANSWERS_FILE:
                continue
            template = self.environment.get_template(source.relative_to(self.root).as_posix())
            previous, self.answers = self.answers, dict(answers)
            try:
                return template.render(**self._full_context({})).encode()
            finally:
                self.answers = previous
        return str(yaml.safe_dump(dict(answers), sort_keys=True)).encode()


# copier's DEFAULT_EXCLUDE, applied when a template has no `_subdirectory` (a test keeps
# this copy equal to copier's).
_COPIER_DEFAULT_EXCLUDE = (
    "copier.yaml",
    "copier.yml",
    "~*",
    "*.py[co]",
    "__pycache__",
    ".git",
    ".DS_Store",
    ".svn",
)
