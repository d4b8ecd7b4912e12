"""The layers of docs/ARCHITECTURE.md, held: each module imports only its own layer or lower.

The imports are read from the source with `ast`, every one of them, those inside functions
included: an import hidden in a function is as much a dependency as one at the top.
"""

import ast
import importlib
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("accounts", "talks", "talks_site")

# The web layer answers requests; only the URL confs (and its own package) import it.
WEB = ["*.views", "*.views.*", "talks.api.*", "talks_site.errors", "talks_site.health"]
TOP = ["*.urls", "talks_site.settings", "talks_site.wsgi", "talks_site.asgi"]

# Lowest first. A module's layer is that of the first pattern its name matches, "top" first.
LAYERS = [
    ("top", TOP),
    (
        "shared",  # packages, and helpers that know no model: plain functions and constants
        [
            "accounts",
            "accounts.management",
            "accounts.management.commands",
            "talks",
            "talks.api",
            "talks.management",
            "talks.management.commands",
            "talks.notifications",
            "talks.templatetags",
            "talks.views",
            "talks_site",
            "talks_site.client_ip",
            "talks_site.json_errors",
            "talks_site.middleware",
            "talks_site.compression",
            "talks_site.staticfiles",
            "talks.embed_providers",
            "talks.embeds",
            "talks.fragments",
            "talks.links",
            "talks.markdown",
            "talks.moments",
            "talks.pagination",
            "talks.rows",
            "talks.prepared",
            "talks.paths",
            "talks.ratelimit",
            "talks.structured_data",
            "talks.calendars",
            "talks.qrcodes",
            "talks.export",
            "talks.search",
            "talks.search.highlight",
            "talks.search.index",
            "talks.comments_version",
            "talks.ddl",
            "talks.search.query",
            "talks.management.demo_data",
            "talks.management.demo_rows",
            "talks_site.logging",
            "talks_site.log_filters",
            "talks_site.cache",
            "talks_site.sqlite",
            "talks_site.sqlite.base",
            "talks_site.email_addresses",
            "talks_site.ids",
            "talks_site.uploads",
            "accounts.avatars",
            "accounts.identity",
            "talks.xml_text",
            "talks.confirmations",
            "talks.moderation_links",
        ],
    ),
    (
        "models",
        [
            "accounts.models",
            "talks.models",
            "talks.addresses",
            "talks.comments",
            "talks.comment_queries",
            "talks.outbox_emails",
            "talks.search.models",
        ],
    ),
    ("services", ["talks.services", "talks.notifications.*", "talks.export.*"]),
    ("tasks", ["talks.tasks"]),
    (
        "wiring",  # what Django calls: receivers, forms, admin, feeds, template tags, commands
        [
            "*.apps",
            "talks.signals",
            "*.forms",
            "*.admin",
            "talks_site.admin_site",
            "talks.feeds",
            "talks.sitemaps",
            "talks.context_processors",
            "talks.templatetags.*",
            "talks.mixins",
            "*.management.commands.*",
        ],
    ),
    ("web", WEB),
]
# From the bottom up: a module may import its own layer and those below it.
ORDER = ["shared", "models", "services", "tasks", "wiring", "web", "top"]


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    """Every module of the project, by name: the apps and the site, without tests or migrations."""
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            modules[module_name(path)] = path
    return modules


MODULES = project_modules()


def imports_of(name, path, modules=MODULES):
    """The project modules `name` imports anywhere in its source."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                source = f"{base}.{source}" if source else base
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in modules else source)
    return {imported for imported in found if imported in modules and imported != name}


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def matches(name, patterns):
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def layer_of(name):
    return next((layer for layer, patterns in LAYERS if matches(name, patterns)), None)


def in_web_package(importer, imported):
    """Whether both modules sit in the same web package (talks.views, talks.api)."""
    importer_package, imported_package = importer.rpartition(".")[0], imported.rpartition(".")[0]
    return importer_package == imported_package and matches(imported, WEB)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_imports_and_has_a_layer(name):
    importlib.import_module(name)
    assert layer_of(name) is not None, f"{name} belongs to no layer: add it to LAYERS"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_a_higher_layer(name):
    rank = ORDER.index(layer_of(name))
    higher = sorted(i for i in GRAPH[name] if ORDER.index(layer_of(i)) > rank)
    assert higher == [], f"{name} ({layer_of(name)}) imports {higher}"


def test_models_never_import_views_services_or_notifications():
    for name in ("accounts.models", "talks.models"):
        # Models may sit in more than one module (talks.addresses): their own layer is fine.
        wrong = sorted(i for i in GRAPH[name] if layer_of(i) not in ("shared", "models"))
        assert wrong == [], f"{name} imports {wrong}"


def test_only_the_url_confs_import_the_web_layer():
    wrong = sorted(
        (importer, imported)
        for importer, imported_modules in GRAPH.items()
        for imported in imported_modules
        if layer_of(imported) == "web"
        and layer_of(importer) != "top"
        and not in_web_package(importer, imported)
    )
    assert wrong == []


def test_settings_read_only_modules_that_import_nothing():
    """Settings load before the apps: a module they read must not pull in any code at all."""
    for imported in GRAPH["talks_site.settings"]:
        tree = ast.parse(MODULES[imported].read_text())
        statements = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert statements == [], f"settings read {imported}, which imports more"


def find_cycle(graph):
    """One import cycle of `graph` as a list of modules, or None."""
    done, path, on_path = set(), [], set()

    def visit(node):
        path.append(node)
        on_path.add(node)
        for imported in sorted(graph[node]):
            if imported in on_path:
                return [*path[path.index(imported) :], imported]
            if imported not in done:
                cycle = visit(imported)
                if cycle:
                    return cycle
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for node in sorted(graph):
        if node not in done:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_there_are_no_import_cycles():
    assert find_cycle(GRAPH) is None


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function(tmp_path):
    """The checks above can fail: a lazy import inside a function is read and makes a cycle."""
    (tmp_path / "a.py").write_text("import b\n")
    (tmp_path / "b.py").write_text("def later():\n    from a import x\n")
    modules = {"a": tmp_path / "a.py", "b": tmp_path / "b.py"}
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}

    assert graph == {"a": {"b"}, "b": {"a"}}
    assert find_cycle(graph) == ["a", "b", "a"]
