"""Python and Node.js manifests -> technologies and command candidates (see detect.py)."""

from __future__ import annotations

import re
from typing import Any

from agentbench.core.project import tables
from agentbench.core.project.scan import CONFIG, DEFAULT, EXPLICIT, Evidence, Scan, add_dep, line_of

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
_PINNED = re.compile(r"(?:==|~=)\s*v?(\d+(?:\.\d+)?)")


# ---------------------------------------------------------------- Python


def read_python(scan: Scan) -> None:
    configured: set[str] = set()
    for rel in scan.manifests("pyproject.toml"):
        loaded = scan.read_toml(rel)
        if loaded is None:
            continue
        text, data = loaded
        scan.tech("Python", "language", Evidence(rel, 1))
        _pyproject(scan, rel, text, data, configured)
    for rel in _requirement_files(scan):
        requirements = scan.read(rel)
        if requirements is None:
            continue
        scan.tech("Python", "language", Evidence(rel, 1))
        for number, raw in enumerate(requirements.split("\n"), 1):
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith(("#", "-", "git+", "http")):
                continue
            match = _REQUIREMENT.match(line)
            if match:
                pinned = _PINNED.search(match.group(2))
                add_dep(scan, tables.PYTHON, _norm(match.group(1)), Evidence(rel, number, line),
                        pinned.group(1) if pinned else "")
    for name in ("setup.py", "setup.cfg", "Pipfile"):
        for rel in scan.manifests(name, depth=1):
            scan.tech("Python", "language", Evidence(rel, 1))
    _python_tool_files(scan, configured)
    if scan.has("Python"):
        _python_commands(scan, configured)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_files(scan: Scan) -> list[str]:
    found = [f for f in scan.layout.files if f.count("/") <= 1
             and re.fullmatch(r"(?:requirements/)?[\w.-]*requirements[\w.-]*\.txt|"
                              r"requirements/[\w.-]+\.txt", f)]
    return sorted(found, key=lambda f: (f.count("/"), f))[:10]


def _pyproject(scan: Scan, rel: str, text: str, data: dict[str, Any],
               configured: set[str]) -> None:
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    assert isinstance(project, dict) and isinstance(tool, dict)
    poetry = tool.get("poetry") if isinstance(tool.get("poetry"), dict) else {}
    assert isinstance(poetry, dict)
    name = project.get("name") or poetry.get("name")
    if isinstance(name, str):
        scan.offer("project_name", name, CONFIG,
                   Evidence(rel, line_of(text, r"^name\s*="), f"name = {name}"))
    requires = project.get("requires-python")
    if isinstance(requires, str) and (m := re.search(r"(\d+\.\d+)", requires)):
        evidence = Evidence(rel, line_of(text, r"^requires-python"), requires)
        scan.techs.pop("Python", None)
        scan.tech("Python", "language", evidence, m.group(1))
        scan.offer("python_version", m.group(1), CONFIG, evidence)
    requirements: list[str] = []
    for key in ("dependencies",):
        if isinstance(project.get(key), list):
            requirements += [r for r in project[key] if isinstance(r, str)]
    for group in (project.get("optional-dependencies"), data.get("dependency-groups")):
        if isinstance(group, dict):
            for items in group.values():
                if isinstance(items, list):
                    requirements += [r for r in items if isinstance(r, str)]
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement)
        if match:
            dep = match.group(1)
            pinned = _PINNED.search(match.group(2))
            line = line_of(text, r"[\"']" + re.escape(dep) + r"(?![\w-])", flags=re.IGNORECASE)
            add_dep(scan, tables.PYTHON, _norm(dep), Evidence(rel, line, requirement),
                    pinned.group(1) if pinned else "")
    poetry_groups = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    groups = poetry.get("group")
    if isinstance(groups, dict):
        poetry_groups += [g.get("dependencies") for g in groups.values() if isinstance(g, dict)]
    for deps in poetry_groups:
        if isinstance(deps, dict):
            for dep in deps:
                if str(dep).lower() == "python":
                    continue
                line = line_of(text, r"^" + re.escape(str(dep)) + r"\s*=", flags=re.IGNORECASE)
                add_dep(scan, tables.PYTHON, _norm(str(dep)), Evidence(rel, line, str(dep)))
    for section, tech, kind in (("ruff", "Ruff", "lint"), ("black", "Black", "format"),
                                ("mypy", "mypy", "typecheck"), ("pytest", "pytest", "test"),
                                ("pyright", "Pyright", "typecheck"),
                                ("pylint", "Pylint", "lint")):
        if section in tool:
            line = line_of(text, r"^\[tool\." + section + r"[\].]")
            scan.tech(tech, kind, Evidence(rel, line, f"[tool.{section}]"))
            configured.add(tech)
    for section in ("ruff", "black"):
        conf = tool.get(section)
        if isinstance(conf, dict) and isinstance(conf.get("line-length"), int):
            scan.offer("line_length", str(conf["line-length"]), CONFIG,
                       Evidence(rel, line_of(text, r"^line-length", after=rf"^\[tool\.{section}"),
                                f"line-length = {conf['line-length']}"))
    ruff = tool.get("ruff")
    ruff_format = ruff.get("format") if isinstance(ruff, dict) else None
    if isinstance(ruff_format, dict) and isinstance(ruff_format.get("quote-style"), str):
        scan.offer("quote_style", f"{ruff_format['quote-style']} quotes", CONFIG,
                   Evidence(rel, line_of(text, r"^quote-style"), "quote-style"))
    if poetry:
        scan.offer("python_runner", "poetry run ", CONFIG, Evidence(rel, line_of(
            text, r"^\[tool\.poetry")))


def _python_tool_files(scan: Scan, configured: set[str]) -> None:
    for name, tech, kind in (("pytest.ini", "pytest", "test"), ("conftest.py", "pytest", "test"),
                             ("ruff.toml", "Ruff", "lint"), (".ruff.toml", "Ruff", "lint"),
                             ("mypy.ini", "mypy", "typecheck"), (".flake8", "Flake8", "lint"),
                             ("alembic.ini", "Alembic", "migrations"),
                             ("manage.py", "Django", "framework")):
        for rel in scan.manifests(name, depth=2)[:1]:
            scan.tech(tech, kind, Evidence(rel, 1, name))
            configured.add(tech)
    for lock, runner in (("poetry.lock", "poetry run "), ("uv.lock", "uv run "),
                         ("pdm.lock", "pdm run "), ("Pipfile.lock", "pipenv run ")):
        if scan.layout.has_file(lock):
            scan.offer("python_runner", runner, CONFIG, Evidence(lock))
    if scan.layout.has_file("manage.py"):
        scan.tech("Django ORM", "orm", Evidence("manage.py", 1))


def _python_commands(scan: Scan, configured: set[str]) -> None:
    runner_options = scan.candidates.get("python_runner")
    run = min(runner_options)[2] if runner_options else ""
    scan.candidates.pop("python_runner", None)

    def offer(name: str, command: str, tech: str, priority: int | None = None) -> None:
        found = scan.techs[tech]
        level = priority if priority is not None else (
            CONFIG if tech in configured else DEFAULT)
        scan.offer(name, run + command, level, found.evidence)

    if scan.has("pytest"):
        offer("test_command", "pytest", "pytest")
        if "pytest-cov" in scan.deps:
            scan.offer("test_coverage_command", run + "pytest --cov", DEFAULT,
                       scan.deps["pytest-cov"])
    if scan.has("Ruff"):
        offer("lint_command", "ruff check .", "Ruff")
        offer("lint_fix_command", "ruff check --fix .", "Ruff")
        offer("format_command", "ruff format .", "Ruff")
    if scan.has("Flake8"):
        offer("lint_command", "flake8 .", "Flake8")
    if scan.has("Black"):
        offer("format_command", "black .", "Black")
    if scan.has("mypy"):
        offer("type_check_command", "mypy .", "mypy")
    if scan.has("Pyright"):
        offer("type_check_command", "pyright", "Pyright")
    if scan.has("FastAPI"):
        app = _find_app(scan, re.compile(r"^(\w+)\s*(?::[^=]+)?=\s*FastAPI\(", re.MULTILINE),
                        ("main.py", "app.py", "server.py", "asgi.py", "api.py"))
        if app is not None:
            module, var, evidence = app
            extra = ""
            if module.startswith("src."):
                module, extra = module[4:], " --app-dir src"
            scan.offer("dev_command", f"{run}uvicorn {module}:{var} --reload{extra}", CONFIG,
                       evidence)
            scan.offer("serve_command", f"{run}uvicorn {module}:{var}{extra}", CONFIG, evidence)
    if scan.has("Flask"):
        offer("dev_command", "flask run --debug", "Flask")
    if scan.has("Django") and scan.layout.has_file("manage.py"):
        evidence = Evidence("manage.py", 1)
        scan.offer("dev_command", run + "python manage.py runserver", CONFIG, evidence)
        scan.offer("migration_command", run + "python manage.py migrate", CONFIG, evidence)
        scan.offer("db_create_migration_command", run + "python manage.py makemigrations",
                   CONFIG, evidence)
        if not scan.has("pytest"):
            scan.offer("test_command", run + "python manage.py test", CONFIG, evidence)
        _django_settings(scan)
    if scan.has("Alembic"):
        offer("migration_command", "alembic upgrade head", "Alembic", CONFIG)
        offer("db_create_migration_command", 'alembic revision --autogenerate -m "describe"',
              "Alembic", CONFIG)
    if scan.has("Celery"):
        app = _find_app(scan, re.compile(r"^(\w+)\s*(?::[^=]+)?=\s*Celery\(", re.MULTILINE),
                        ("celery.py", "celery_app.py", "worker.py", "tasks.py", "app.py",
                         "main.py"))
        if app is None:
            scan.note("Celery is a dependency but no `Celery(...)` app was found; no"
                      " worker command detected")
        else:
            module, _var, evidence = app
            if module.startswith("src."):
                module = module[4:]
            scan.offer("worker_command", f"{run}celery -A {module} worker --loglevel=info",
                       CONFIG, evidence)
    if scan.has("RQ"):
        offer("worker_command", "rq worker", "RQ")


def _find_app(scan: Scan, pattern: re.Pattern[str], names: tuple[str, ...]
              ) -> tuple[str, str, Evidence] | None:
    """(module, variable, evidence) of the first file defining an app object."""
    wanted = set(names)
    files = [f for f in scan.layout.files if f.rsplit("/", 1)[-1] in wanted
             and f.count("/") <= 3 and not f.startswith(("tests/", "test/"))]
    files.sort(key=lambda f: (f.count("/"), names.index(f.rsplit("/", 1)[-1]), f))
    for rel in files[:15]:
        text = scan.read(rel)
        if text is None:
            continue
        match = pattern.search(text)
        if match:
            line = text.count("\n", 0, match.start()) + 1
            module = rel[:-3].replace("/", ".")
            return module, match.group(1), Evidence(rel, line, match.group(0).strip())
    return None


def _django_settings(scan: Scan) -> None:
    text = scan.read("manage.py")
    if text is None:
        return
    match = re.search(r"DJANGO_SETTINGS_MODULE[\"']\s*,\s*[\"']([\w.]+)[\"']", text)
    if match is None:
        return
    module = match.group(1)
    package = module.rsplit(".", 1)[0].replace(".", "/")
    line = text.count("\n", 0, match.start()) + 1
    if package in scan.layout.dirs:
        scan.offer("source_dirs", package + "/", CONFIG, Evidence("manage.py", line, module))
    settings = module.replace(".", "/") + ".py"
    body = scan.read(settings) if scan.layout.has_file(settings) else None
    if body is None:
        return
    engine = re.search(r"django\.db\.backends\.(\w+)", body)
    if engine:
        names = {"postgresql": "PostgreSQL", "postgresql_psycopg2": "PostgreSQL",
                 "mysql": "MySQL", "sqlite3": "SQLite", "oracle": "Oracle"}
        database = names.get(engine.group(1), engine.group(1))
        scan.tech(database, "database",
                  Evidence(settings, body.count("\n", 0, engine.start()) + 1, engine.group(0)))


# ---------------------------------------------------------------- Node.js


_SCRIPT_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("test_command", ("test",)),
    ("test_watch_command", ("test:watch",)),
    ("test_coverage_command", ("test:cov", "test:coverage", "coverage")),
    ("lint_command", ("lint",)),
    ("lint_fix_command", ("lint:fix",)),
    ("format_command", ("format", "fmt", "prettier")),
    ("build_command", ("build",)),
    ("dev_command", ("dev", "start:dev", "develop", "serve", "start")),
    ("type_check_command", ("typecheck", "type-check", "types", "tsc")),
    ("migration_command", ("migrate", "db:migrate", "prisma:migrate", "migration:run",
                           "migrate:deploy")),
    ("worker_command", ("worker", "start:worker", "queue")),
)


def read_node(scan: Scan) -> None:
    for rel in scan.manifests("package.json"):
        loaded = scan.read_json_object(rel)
        if loaded is None:
            continue
        text, data = loaded
        _package_json(scan, rel, text, data)


def _package_manager(scan: Scan, folder: str, data: dict[str, Any]) -> tuple[str, Evidence]:
    field = data.get("packageManager")
    if isinstance(field, str) and (m := re.match(r"(npm|yarn|pnpm|bun)@", field)):
        return m.group(1), Evidence(folder + "package.json", 1, field)
    for lock, manager in (("pnpm-lock.yaml", "pnpm"), ("yarn.lock", "yarn"),
                          ("bun.lockb", "bun"), ("bun.lock", "bun"),
                          ("package-lock.json", "npm")):
        if scan.layout.has_file(folder + lock):
            return manager, Evidence(folder + lock)
    return "npm", Evidence(folder + "package.json")


def run_script(manager: str, script: str) -> str:
    if manager == "npm":
        return f"npm {script}" if script in ("test", "start") else f"npm run {script}"
    if manager == "bun":
        return f"bun run {script}"
    return f"{manager} {script}"


def _exec(manager: str) -> str:
    return {"npm": "npx", "yarn": "yarn", "pnpm": "pnpm exec", "bun": "bunx"}[manager]


def _package_json(scan: Scan, rel: str, text: str, data: dict[str, Any]) -> None:
    folder = rel[: -len("package.json")]
    name = data.get("name")
    if isinstance(name, str) and name:
        scan.offer("project_name", name, CONFIG, Evidence(rel, line_of(text, r'"name"\s*:'),
                                                           name))
    for section in ("dependencies", "devDependencies", "peerDependencies",
                    "optionalDependencies"):
        deps = data.get(section)
        if not isinstance(deps, dict):
            continue
        for dep, version in deps.items():
            line = line_of(text, r'"' + re.escape(str(dep)) + r'"\s*:', after=f'"{section}"')
            spec = str(version) if isinstance(version, str) else ""
            major = re.match(r"[\^~>=v ]*(\d+)", spec)
            add_dep(scan, tables.NODE, str(dep), Evidence(rel, line, f'"{dep}": "{spec}"'),
                    major.group(1) if major else "")
    if scan.layout.has_file(folder + "tsconfig.json") or scan.has("TypeScript"):
        scan.techs.pop("TypeScript", None)
        where = (Evidence(folder + "tsconfig.json") if scan.layout.has_file(
            folder + "tsconfig.json") else scan.deps.get("typescript", Evidence(rel)))
        scan.tech("TypeScript", "language", where)
    else:
        scan.tech("JavaScript", "language", Evidence(rel, 1))
    scan.tech("Node.js", "runtime", Evidence(rel, 1))
    engines = data.get("engines")
    if isinstance(engines, dict) and isinstance(engines.get("node"), str):
        version = re.search(r"(\d+)", engines["node"])
        if version:
            scan.offer("node_version", version.group(1), CONFIG,
                       Evidence(rel, line_of(text, r'"node"\s*:', after='"engines"'),
                                engines["node"]))
    manager, manager_evidence = _package_manager(scan, folder, data)
    scan.offer("package_manager", manager, CONFIG, manager_evidence)
    scan.offer("install_command", f"{manager} install", DEFAULT, manager_evidence)
    scripts = data.get("scripts")
    if isinstance(scripts, dict):
        for role, names in _SCRIPT_ROLES:
            for script in names:
                if isinstance(scripts.get(script), str):
                    line = line_of(text, r'"' + re.escape(script) + r'"\s*:', after='"scripts"')
                    scan.offer(role, run_script(manager, script), EXPLICIT,
                               Evidence(rel, line, f'"{script}": "{scripts[script]}"'))
                    break
    run = _exec(manager)
    if scan.has("Prisma"):
        evidence = scan.techs["Prisma"].evidence
        scan.offer("migration_command", f"{run} prisma migrate deploy", DEFAULT, evidence)
        scan.offer("db_create_migration_command", f"{run} prisma migrate dev --name describe",
                   DEFAULT, evidence)
        _prisma_schema(scan, folder)
    for tech, role, command in (("ESLint", "lint_command", "eslint ."),
                                ("Biome", "lint_command", "biome check ."),
                                ("Prettier", "format_command", "prettier --write ."),
                                ("Jest", "test_command", "jest"),
                                ("Vitest", "test_command", "vitest run")):
        if scan.has(tech):
            scan.offer(role, f"{run} {command}", DEFAULT, scan.techs[tech].evidence)
    if scan.has("TypeScript") and scan.layout.has_file(folder + "tsconfig.json"):
        scan.offer("type_check_command", f"{run} tsc --noEmit", DEFAULT,
                   Evidence(folder + "tsconfig.json"))


def _prisma_schema(scan: Scan, folder: str) -> None:
    rel = folder + "prisma/schema.prisma"
    if not scan.layout.has_file(rel):
        return
    text = scan.read(rel)
    if text is None:
        return
    block = re.search(r"datasource\s+\w+\s*\{[^}]*?provider\s*=\s*\"(\w+)\"", text)
    if block:
        names = {"postgresql": "PostgreSQL", "postgres": "PostgreSQL", "mysql": "MySQL",
                 "sqlite": "SQLite", "sqlserver": "SQL Server", "mongodb": "MongoDB",
                 "cockroachdb": "CockroachDB"}
        line = text.count("\n", 0, block.start(1)) + 1
        scan.techs.pop(names.get(block.group(1), block.group(1)), None)
        scan.tech(names.get(block.group(1), block.group(1)), "database",
                  Evidence(rel, line, f'provider = "{block.group(1)}"'))
