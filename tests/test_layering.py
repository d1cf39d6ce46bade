"""The package's layers, read from every module's imports (design.md: data flows one
way, router -> service -> models/db and router -> rendering):

- service/services never imports service/routers;
- service/rendering never imports service/services, service/routers or the database, and
  takes from service/models only plain values (labels), never a table;
- services take from a renderer only its input types (classes), never its constants;
- service/routers/pages never imports service/routers/api.

Every import counts: at the top, inside functions and under TYPE_CHECKING alike."""

import ast
import importlib
import inspect
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "service"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(path: Path) -> str:
    name = _module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _imports_in(source: str, package: str) -> Iterator[tuple[str, str | None, int]]:
    """(module, name or None, line) for every import in the source, relative ones
    resolved against `package`: `from a.b import c` gives ("a.b", "c")."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                yield module, alias.name, node.lineno


def _imports(path: Path) -> Iterator[tuple[str, str | None, int]]:
    return _imports_in(path.read_text(encoding="utf-8"), _package_of(path))


def _targets(module: str, name: str | None) -> set[str]:
    # `from service import routers` imports service.routers just as `import service.routers`.
    return {module} | ({f"{module}.{name}"} if name else set())


def _within(target: str, prefix: str) -> bool:
    return target == prefix or target.startswith(prefix + ".")


def _files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def _violations(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in _files(layer):
        for module, name, line in _imports(path):
            for target in _targets(module, name):
                bad = next((f for f in forbidden if _within(target, f)), None)
                if bad:
                    found.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
                    break
    return found


def test_the_layers_hold_modules() -> None:
    # A moved package would make every check below pass on nothing.
    for layer in ("services", "rendering", "routers/pages", "routers/api"):
        assert len(_files(layer)) > 3, layer


def test_services_never_import_routers() -> None:
    assert _violations("services", ("service.routers",)) == []


def test_rendering_never_imports_services_routers_or_the_database() -> None:
    assert _violations("rendering", ("service.services", "service.routers", "service.db",
                                     "sqlalchemy", "sqlmodel")) == []


def test_pages_never_import_the_api_routers() -> None:
    assert _violations("routers/pages", ("service.routers.api",)) == []


def _names_from(layer: str, source: str) -> list[tuple[Path, int, str, str]]:
    """(file, line, module, name) for each `from <source...> import name` in the layer."""
    return [(path, line, module, name) for path in _files(layer)
            for module, name, line in _imports(path)
            if name is not None and _within(module, source)]


def test_rendering_takes_only_plain_values_from_the_models() -> None:
    tables = [f"{path.relative_to(ROOT)}:{line} {module}.{name}"
              for path, line, module, name in _names_from("rendering", "service.models")
              if hasattr(getattr(importlib.import_module(module), name), "__table__")]
    assert tables == []


def _is_type(value: object) -> bool:
    """A class, or an alias of types (`Cell = str | int | None`)."""
    return inspect.isclass(value) or typing.get_origin(value) is not None


def test_services_take_only_input_types_from_renderers() -> None:
    # A renderer's constants (labels, sizes) live where both can take them (service.models,
    # service.i18n); what a service may import from a renderer is the type it builds.
    found = [f"{path.relative_to(ROOT)}:{line} {module}.{name}"
             for path, line, module, name in _names_from("services", "service.rendering")
             if not _is_type(getattr(importlib.import_module(module), name))]
    assert found == []


@pytest.mark.parametrize(("source", "expected"), [
    ("from service.routers.api.rosters import PRIVATE\n", "service.routers.api.rosters"),
    ("from ..api import rosters\n", "service.routers.api.rosters"),
    ("import service.routers.api.reports\n", "service.routers.api.reports"),
    ("from service.routers import api\n", "service.routers.api"),
    ("def f():\n    from service.routers.api import reports\n", "service.routers.api"),
])
def test_the_check_sees_every_kind_of_import(source: str, expected: str) -> None:
    # As if written in service/routers/pages/.
    seen = {t for module, name, _ in _imports_in(source, "service.routers.pages")
            for t in _targets(module, name)}
    assert expected in seen
