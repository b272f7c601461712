"""Folder roles from the layout, and the summary values (tech stack, language, framework…)
derived from every technology found (see detect.py)."""

from __future__ import annotations

import os

from agentbench.core.project.scan import CONFIG, DEFAULT, Evidence, Scan, Tech

LANGUAGE_DEFAULT = 1  # below every detected value: the language's usual convention

# value name -> folder names that play the role (searched up to 3 levels down).
_ROLES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("test_dirs", ("tests", "test", "__tests__", "spec", "e2e", "testing"),
     ("test_dir", "tests_dir")),
    ("docs_dirs", ("docs", "documentation", "doc"), ("docs_dir", "doc_dirs")),
    ("config_dirs", ("config", "configs", "settings", "conf"), ("config_dir",)),
    ("model_dirs", ("models", "model", "entities", "entity"),
     ("models_dir", "models_dirs", "db_models_dirs")),
    ("services_dirs", ("services", "service"), ()),
    ("utils_dirs", ("utils", "util", "helpers"), ()),
    ("api_dirs", ("api", "routes", "routers", "controllers", "endpoints", "handlers"), ()),
    ("workers_dirs", ("workers", "worker", "tasks", "jobs", "queues"), ("tasks_dirs",)),
    ("db_migrations_dirs", ("migrations", "alembic", "migrate"), ("migrations_dirs",)),
    ("infra_dirs", ("terraform", "infra", "infrastructure", "k8s", "kubernetes", "deploy",
                    "helm", "charts"), ()),
    ("data_dirs", ("data", "datasets"), ("dataset_dirs",)),
    ("schema_dirs", ("schemas", "schema", "prisma"), ()),
    ("proto_dirs", ("proto", "protos"), ()),
    ("shared_dirs", ("shared", "common"), ()),
    ("scripts_dirs", ("scripts", "bin"), ()),
)
_TEST_NAMES = frozenset(_ROLES[0][1])
_SOURCE_NAMES = ("src", "app", "lib", "cmd", "internal", "pkg", "server", "backend")


def read_layout(scan: Scan) -> None:
    dirs = sorted(scan.layout.dirs, key=lambda d: (d.count("/"), d))
    for role, names, aliases in _ROLES:
        wanted = set(names)
        found = [d for d in dirs if d.count("/") <= 2 and d.rsplit("/", 1)[-1] in wanted
                 and (role == "test_dirs" or not _TEST_NAMES.intersection(d.split("/")[:-1]))
                 and not d.startswith(("docs/", "."))]
        if role == "test_dirs":
            found = [d for d in found if not _TEST_NAMES.intersection(d.split("/")[:-1])]
        _offer_dirs(scan, role, aliases, found[:4])
    sources = [d for d in _SOURCE_NAMES if d in scan.layout.dirs]
    if not sources:
        sources = [d for d in dirs if "/" not in d and not d.startswith(".")
                   and d not in _TEST_NAMES and scan.layout.has_file(d + "/__init__.py")]
    _offer_dirs(scan, "source_dirs", ("source_dir", "src_dirs"), sources[:4])
    name = os.path.basename(os.path.abspath(scan.root))
    if name:
        scan.offer("project_name", name, LANGUAGE_DEFAULT, Evidence("./", 0, "folder name"))


def _offer_dirs(scan: Scan, role: str, aliases: tuple[str, ...], found: list[str]) -> None:
    if not found:
        return
    evidence = tuple(Evidence(d + "/") for d in found)
    scan.offer(role, ", ".join(d + "/" for d in found), DEFAULT, *evidence)
    for alias in aliases:
        if alias.endswith("_dirs"):
            scan.offer(alias, ", ".join(d + "/" for d in found), DEFAULT, *evidence)
        else:
            scan.offer(alias, found[0] + "/", DEFAULT, evidence[0])


def _offer_tech(scan: Scan, names: tuple[str, ...], tech: Tech | None,
                label: str | None = None) -> None:
    if tech is None:
        return
    for name in names:
        scan.offer(name, label or tech.label, CONFIG, tech.evidence)


def _offer_all(scan: Scan, name: str, techs: list[Tech]) -> None:
    if techs:
        labels = list(dict.fromkeys(t.label for t in techs))
        scan.offer(name, ", ".join(labels), CONFIG, *(t.evidence for t in techs))


def summarise(scan: Scan) -> None:
    """Values that name technologies: language, framework, orm, tech_stack and the like."""
    _aliases_of_dirs(scan)
    languages = scan.all("language")
    language = languages[0] if languages else None
    _offer_tech(scan, ("language",), language)
    _offer_all(scan, "languages", languages)
    frameworks = scan.all("framework")
    _offer_tech(scan, ("framework", "backend_framework", "api_framework"),
                frameworks[0] if frameworks else None)
    _offer_all(scan, "frameworks", frameworks)
    _offer_tech(scan, ("ui_library", "frontend_framework"), scan.first("ui"))
    orm = scan.first("orm")
    _offer_tech(scan, ("orm", "orm_system"), orm)
    migrations = scan.first("migrations")
    _offer_tech(scan, ("migration_tool",), migrations or (
        orm if orm and orm.name in ("Prisma", "Django ORM", "Active Record", "Eloquent")
        else None))
    _offer_tech(scan, ("database", "database_system"), scan.first("database"))
    broker = scan.first("broker")
    worker = scan.first("worker")
    if broker is None and worker is not None and scan.has("Redis"):
        broker = scan.techs["Redis"]
    _offer_tech(scan, ("message_broker",), broker)
    _offer_tech(scan, ("job_framework", "queue_system"), worker)
    _offer_tech(scan, ("test_framework",), scan.first("test"))
    _offer_all(scan, "lint_tools", scan.all("lint") + scan.all("format"))
    ml = scan.all("ml")
    _offer_tech(scan, ("ml_framework", "dl_framework"), ml[0] if ml else None)
    _offer_tech(scan, ("state_management",), scan.first("state"))
    _offer_tech(scan, ("iac_tool",), scan.first("infra"))
    for tech in scan.all("cloud"):
        provider = {"AWS SDK": "AWS", "Google Cloud SDK": "GCP", "Azure SDK": "Azure"}
        _offer_tech(scan, ("cloud_provider",), tech, provider.get(tech.name, tech.name))
    for tech in scan.all("observability"):
        role = {"Sentry": "error_tracking_tool", "OpenTelemetry": "tracing_system",
                "Prometheus": "metrics_platform", "Datadog": "metrics_platform"}.get(
            tech.name, "logging_framework")
        _offer_tech(scan, (role,), tech)
    for tech in scan.techs.values():
        if tech.version and tech.kind in ("ui", "ml", "framework"):
            key = tech.name.lower().replace(" ", "_").replace(".", "").replace("-", "_")
            scan.offer(f"{key}_version", tech.version, CONFIG, tech.evidence)
    api = scan.first("api")
    if api is not None and api.name in ("GraphQL", "gRPC"):
        _offer_tech(scan, ("api_style",), api)
    elif frameworks:
        _offer_tech(scan, ("api_style",), frameworks[0], "REST")
    stack = [*languages, *frameworks, *scan.all("ui"), *scan.all("orm"),
             *scan.all("database"), *scan.all("worker"), *scan.all("broker")]
    if stack:
        _offer_all(scan, "tech_stack", stack)
    _architecture(scan)
    if language is not None:
        _language_defaults(scan, language)


def _aliases_of_dirs(scan: Scan) -> None:
    if "source_dirs" in scan.candidates:
        best = min(scan.candidates["source_dirs"])
        scan.offer("source_dir", best[2].split(", ")[0], -best[0], *best[3][:1])
        scan.offer("src_dirs", best[2], -best[0], *best[3])


def _architecture(scan: Scan) -> None:
    names = {d.rsplit("/", 1)[-1]: d for d in sorted(scan.layout.dirs, reverse=True)
             if d.count("/") <= 2}
    for pattern, needed in (("Clean Architecture", ("domain", "application", "infrastructure")),
                            ("MVC", ("models", "views", "controllers")),
                            ("Microservices", ("services", "k8s")),
                            ("Service layer", ("services", "repositories")),
                            ("Service layer", ("services", "models")),
                            ("Feature-based", ("features",))):
        if all(n in names for n in needed):
            scan.offer("architecture_pattern", pattern, DEFAULT,
                       *(Evidence(names[n] + "/") for n in needed))
            return


_DEFAULTS = {
    "Python": {"function_naming": "snake_case", "variable_naming": "snake_case",
               "class_naming": "PascalCase", "constant_naming": "UPPER_SNAKE_CASE",
               "file_naming": "snake_case", "docstring_style": "Google style",
               "quote_style": "double quotes", "indentation": "4 spaces", "line_length": "88"},
    "TypeScript": {"function_naming": "camelCase", "variable_naming": "camelCase",
                   "class_naming": "PascalCase", "constant_naming": "UPPER_SNAKE_CASE",
                   "file_naming": "kebab-case", "docstring_style": "TSDoc",
                   "quote_style": "single quotes", "indentation": "2 spaces",
                   "line_length": "80"},
    "JavaScript": {"function_naming": "camelCase", "variable_naming": "camelCase",
                   "class_naming": "PascalCase", "constant_naming": "UPPER_SNAKE_CASE",
                   "file_naming": "kebab-case", "docstring_style": "JSDoc",
                   "quote_style": "single quotes", "indentation": "2 spaces",
                   "line_length": "80"},
    "Go": {"function_naming": "camelCase (PascalCase when exported)",
           "variable_naming": "camelCase", "class_naming": "PascalCase",
           "constant_naming": "camelCase (PascalCase when exported)",
           "file_naming": "snake_case", "docstring_style": "Go doc comments",
           "indentation": "tabs (gofmt)"},
    "Rust": {"function_naming": "snake_case", "variable_naming": "snake_case",
             "class_naming": "PascalCase", "constant_naming": "UPPER_SNAKE_CASE",
             "file_naming": "snake_case", "docstring_style": "rustdoc",
             "indentation": "4 spaces", "line_length": "100"},
}


def _language_defaults(scan: Scan, language: Tech) -> None:
    for name, value in _DEFAULTS.get(language.name, {}).items():
        scan.offer(name, value, LANGUAGE_DEFAULT,
                   Evidence(language.evidence.path, language.evidence.line,
                            f"usual {language.name} convention"))
