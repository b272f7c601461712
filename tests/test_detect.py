"""Detection of placeholder values from small projects built here, with their evidence."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agentbench.core.library.loader import load_library
from agentbench.core.project.detect import detect
from agentbench.core.project.scan import Detection
from agentbench.core.project.triggers import ALWAYS, MATCHED, NOT_MATCHED, ON_REQUEST, match_agents

Write = Callable[[str, str | bytes], Path]


def make(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


FASTAPI = {
    "pyproject.toml": (
        '[project]\n'                                   # 1
        'name = "ledgerly"\n'                           # 2
        'requires-python = ">=3.12"\n'                  # 3
        'dependencies = [\n'                            # 4
        '  "fastapi>=0.110",\n'                         # 5
        '  "sqlalchemy==2.0.30",\n'                     # 6
        '  "alembic",\n'                                # 7
        '  "celery[redis]",\n'                          # 8
        '  "psycopg[binary]",\n'                        # 9
        ']\n'                                           # 10
        '\n'                                            # 11
        '[tool.ruff]\n'                                 # 12
        'line-length = 100\n'                           # 13
        '\n'                                            # 14
        '[tool.pytest.ini_options]\n'                   # 15
        'testpaths = ["tests"]\n'                       # 16
    ),
    "app/__init__.py": "",
    "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI(title='Ledgerly')\n",
    "app/worker.py": "from celery import Celery\n\ncelery_app = Celery('ledgerly')\n",
    "app/models/__init__.py": "",
    "app/services/__init__.py": "",
    "alembic.ini": "[alembic]\n",
    "alembic/env.py": "",
    "tests/test_main.py": "def test_ok():\n    pass\n",
    ".github/workflows/ci.yml": (
        "name: ci\n"
        "on: push\n"
        "jobs:\n"
        "  test:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: pytest -q --maxfail=1\n"          # 7
        "      - run: echo ${{ secrets.TOKEN }}\n"
    ),
}

NEST = {
    "package.json": json.dumps({
        "name": "ledgerly-api",
        "scripts": {"build": "nest build", "start:dev": "nest start --watch",
                    "test": "jest", "lint": "eslint \"{src,test}/**/*.ts\""},
        "dependencies": {"@nestjs/core": "^10.3.0", "@prisma/client": "^5.10.0"},
        "devDependencies": {"prisma": "^5.10.0", "jest": "^29.0.0", "typescript": "^5.4.0",
                            "eslint": "^8.0.0"},
    }, indent=2) + "\n",
    "package-lock.json": "{}\n",
    "tsconfig.json": "{}\n",
    "prisma/schema.prisma": (
        "generator client {\n"
        "  provider = \"prisma-client-js\"\n"
        "}\n"
        "\n"
        "datasource db {\n"
        "  provider = \"postgresql\"\n"                 # 6
        "  url      = env(\"DATABASE_URL\")\n"
        "}\n"
    ),
    "src/main.ts": "",
    "src/users/users.service.ts": "",
    "test/app.e2e-spec.ts": "",
}

DJANGO = {
    "requirements.txt": "# web\nDjango==5.0.4\npsycopg2-binary\npytest-django\n",
    "manage.py": (
        "#!/usr/bin/env python\n"
        "import os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"   # 3
    ),
    "mysite/__init__.py": "",
    "mysite/settings.py": (
        "DATABASES = {\n"
        "    'default': {\n"
        "        'ENGINE': 'django.db.backends.postgresql',\n"          # 3
        "    }\n"
        "}\n"
    ),
    "blog/models.py": "",
    "blog/migrations/0001_initial.py": "",
}

GO = {
    "go.mod": (
        "module github.com/acme/orders\n"              # 1
        "\n"
        "go 1.22\n"                                    # 3
        "\n"
        "require (\n"
        "\tgithub.com/gin-gonic/gin v1.9.1\n"           # 6
        "\tgorm.io/gorm v1.25.7\n"                      # 7
        "\tgithub.com/jackc/pgx/v5 v5.5.5\n"            # 8
        ")\n"
    ),
    "cmd/orders/main.go": "package main\n",
    "internal/handlers/orders.go": "package handlers\n",
    "Makefile": "build:\n\tgo build ./...\n\nlint:\n\tgolangci-lint run\n",   # lint: line 4
    "Dockerfile": "FROM golang:1.22\n",
}


def value(detection: Detection, name: str) -> str:
    assert name in detection.findings, f"{name} not detected; got {sorted(detection.findings)}"
    return detection.findings[name].value


def where(detection: Detection, name: str) -> str:
    return str(detection.findings[name].evidence[0])


def test_fastapi_sqlalchemy_celery_project(tmp_path: Path) -> None:
    found = detect(make(tmp_path, FASTAPI))
    assert value(found, "language") == "Python 3.12"
    assert where(found, "language") == "pyproject.toml:3"
    assert value(found, "framework") == "FastAPI"
    assert where(found, "framework") == "pyproject.toml:5"
    assert value(found, "orm") == "SQLAlchemy 2.0"
    assert where(found, "orm") == "pyproject.toml:6"
    assert value(found, "tech_stack") == (
        "Python 3.12, FastAPI, SQLAlchemy 2.0, PostgreSQL, Celery, Redis")
    assert value(found, "database") == "PostgreSQL"
    assert where(found, "database") == "pyproject.toml:9"
    assert value(found, "project_name") == "ledgerly"
    assert where(found, "project_name") == "pyproject.toml:2"
    # CI runs the project's real test command: it beats the bare tool default.
    assert value(found, "test_command") == "pytest -q --maxfail=1"
    assert where(found, "test_command") == ".github/workflows/ci.yml:7"
    assert value(found, "lint_command") == "ruff check ."
    assert where(found, "lint_command") == "pyproject.toml:12"
    assert value(found, "line_length") == "100"
    assert where(found, "line_length") == "pyproject.toml:13"
    assert value(found, "dev_command") == "uvicorn app.main:app --reload"
    assert where(found, "dev_command") == "app/main.py:3"
    assert value(found, "worker_command") == "celery -A app.worker worker --loglevel=info"
    assert where(found, "worker_command") == "app/worker.py:3"
    assert value(found, "migration_command") == "alembic upgrade head"
    assert value(found, "message_broker") == "Redis"  # from celery[redis]
    assert where(found, "message_broker") == "pyproject.toml:8"
    assert value(found, "source_dir") == "app/"
    assert value(found, "test_dirs") == "tests/"
    assert value(found, "model_dirs") == "app/models/"
    assert value(found, "services_dirs") == "app/services/"
    assert value(found, "cicd_platform") == "GitHub Actions"


def test_nestjs_prisma_project(tmp_path: Path) -> None:
    found = detect(make(tmp_path, NEST))
    assert value(found, "language") == "TypeScript"
    assert value(found, "framework") == "NestJS 10"
    assert where(found, "framework") == "package.json:10"
    assert value(found, "orm") == "Prisma 5"
    assert value(found, "database") == "PostgreSQL"
    assert where(found, "database") == "prisma/schema.prisma:6"
    assert value(found, "test_command") == "npm test"
    assert where(found, "test_command") == "package.json:6"
    assert value(found, "dev_command") == "npm run start:dev"
    assert value(found, "lint_command") == "npm run lint"
    assert value(found, "build_command") == "npm run build"
    assert value(found, "migration_command") == "npx prisma migrate deploy"
    assert value(found, "package_manager") == "npm"
    assert value(found, "source_dirs") == "src/"
    assert value(found, "test_dir") == "test/"
    assert value(found, "tech_stack") == "TypeScript, NestJS 10, Prisma 5, PostgreSQL"


def test_django_project(tmp_path: Path) -> None:
    found = detect(make(tmp_path, DJANGO))
    assert value(found, "framework") == "Django 5.0"
    assert where(found, "framework") == "requirements.txt:2"
    assert value(found, "orm") == "Django ORM"
    assert value(found, "database") == "PostgreSQL"
    assert where(found, "database") == "requirements.txt:3"
    assert value(found, "dev_command") == "python manage.py runserver"
    assert value(found, "migration_command") == "python manage.py migrate"
    assert value(found, "source_dirs") == "mysite/"
    assert where(found, "source_dirs") == "manage.py:3"


def test_go_service(tmp_path: Path) -> None:
    found = detect(make(tmp_path, GO))
    assert value(found, "language") == "Go 1.22"
    assert where(found, "language") == "go.mod:3"
    assert value(found, "framework") == "Gin 1.9"
    assert where(found, "framework") == "go.mod:6"
    assert value(found, "orm") == "GORM 1.25"
    assert value(found, "database") == "PostgreSQL"
    assert where(found, "database") == "go.mod:8"
    assert value(found, "project_name") == "orders"
    assert value(found, "test_command") == "go test ./..."
    # The Makefile's own target beats the language default.
    assert value(found, "lint_command") == "make lint"
    assert where(found, "lint_command") == "Makefile:4"
    assert value(found, "dev_command") == "go run ./cmd/orders"
    assert value(found, "source_dirs") == "cmd/, internal/"
    assert value(found, "docker_build_command") == "docker build -t orders ."


def test_bare_folder_detects_only_its_name(tmp_path: Path) -> None:
    bare = tmp_path / "notes"
    bare.mkdir()
    (bare / "todo.txt").write_text("buy milk\n")
    found = detect(bare)
    assert found.values() == {"project_name": "notes"}
    assert found.techs == ()
    assert found.notes == ()


@pytest.mark.parametrize("name, text, message", [
    ("package.json", "{not json", "package.json: skipped, not valid JSON (line 1"),
    ("pyproject.toml", "[project\nname=", "pyproject.toml: skipped, not valid TOML"),
    ("package.json", "[1, 2]", "package.json: skipped, it is not a JSON object"),
    ("pyproject.toml", b"\xff\xfe[project]".decode("latin-1"), ""),
])
def test_malformed_manifests_are_skipped_with_a_note(tmp_path: Path, name: str, text: str,
                                                      message: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8" if message else "latin-1")
    found = detect(tmp_path)
    if message:
        assert any(n.startswith(message) for n in found.notes), found.notes
    else:
        assert any("not UTF-8" in n or "TOML" in n for n in found.notes), found.notes


def test_huge_manifest_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("fastapi\n" + "#" * (3 * 1024 * 1024))
    found = detect(tmp_path)
    assert "framework" not in found.findings
    assert any("requirements.txt: skipped" in n and "MB" in n for n in found.notes)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_and_unreadable_manifest(tmp_path: Path) -> None:
    make(tmp_path, {"go.mod": "module example.com/loop\n\ngo 1.21\n"})
    os.symlink(tmp_path, tmp_path / "loop")
    os.symlink(tmp_path / "missing", tmp_path / "dangling")
    found = detect(tmp_path)
    assert value(found, "language") == "Go 1.21"
    if os.geteuid() != 0:
        (tmp_path / "go.mod").chmod(0)
        try:
            found = detect(tmp_path)
        finally:
            (tmp_path / "go.mod").chmod(0o644)
        assert any(n.startswith("go.mod: skipped, cannot read it") for n in found.notes)


def test_pruned_folders_are_not_read(tmp_path: Path) -> None:
    make(tmp_path, {"node_modules/express/package.json": '{"name": "express"}',
                    "venv/lib/pyproject.toml": '[project]\nname = "nope"\n'})
    found = detect(tmp_path)
    assert "node_modules" not in found.layout.dirs
    assert value(found, "project_name") == tmp_path.name


def test_detect_on_missing_folder_is_a_usage_error(run_cli: Callable[..., tuple[int, str, str]],
                                                   tmp_path: Path) -> None:
    code, _out, err = run_cli("detect", str(tmp_path / "nope"))
    assert code == 2
    assert "no such folder" in err


def test_detect_cli_json_has_values_with_evidence(
        run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    make(tmp_path, NEST)
    code, out, _err = run_cli("detect", str(tmp_path), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["values"]["orm"]["value"] == "Prisma 5"
    assert payload["values"]["database"]["evidence"][0] == {
        "path": "prisma/schema.prisma", "line": 6, "detail": 'provider = "postgresql"'}


def test_detect_cli_text_lists_values(run_cli: Callable[..., tuple[int, str, str]],
                                      tmp_path: Path) -> None:
    make(tmp_path, GO)
    code, out, _err = run_cli("detect", str(tmp_path))
    assert code == 0
    assert "framework" in out and "Gin 1.9" in out and "go.mod:6" in out


def test_triggers_of_the_demo_team(tmp_path: Path, demo_dir: Path) -> None:
    found = detect(make(tmp_path, FASTAPI))
    results = {r.name: r for r in match_agents(load_library(str(demo_dir)).agents, found)}
    backend = results["backend-agent"]
    assert backend.status == MATCHED
    triggers = {m.trigger: m.reasons for m in backend.matches}
    framework = triggers["Backend framework detected (FastAPI, Django, Express, NestJS)"]
    assert framework == ("FastAPI (pyproject.toml:5)",)
    server = "Server code under src/ or app/ (services, routes, controllers)"
    assert "folder app/" in triggers[server]
    assert results["database-agent"].status == MATCHED  # "ORM models added or altered"


def test_triggers_of_the_corpus(tmp_path: Path, corpus: Path) -> None:
    library = load_library(str(corpus / "copilot-agent-factory" / "agent-templates"))
    fastapi = {r.name: r for r in match_agents(library.agents, detect(make(tmp_path / "a",
                                                                           FASTAPI)))}
    assert fastapi["backend-agent"].status == MATCHED
    assert fastapi["queue-agent"].status == MATCHED
    reasons = [r for m in fastapi["queue-agent"].matches for r in m.reasons]
    assert "Celery (pyproject.toml:8)" in reasons
    assert fastapi["devops-agent"].status == MATCHED  # .github/workflows/
    assert fastapi["frontend-react-agent"].status == NOT_MATCHED
    assert fastapi["pytorch-agent"].status == NOT_MATCHED
    assert fastapi["docs-agent"].status == ALWAYS  # no triggers
    assert fastapi["debug-agent"].status == ALWAYS  # "Always available"
    assert fastapi["prd-agent"].status == ON_REQUEST
    nest = {r.name: r for r in match_agents(library.agents, detect(make(tmp_path / "b", NEST)))}
    assert nest["backend-agent"].status == MATCHED
    assert nest["database-agent"].status == MATCHED  # prisma in dependencies
    assert nest["frontend-react-agent"].status == NOT_MATCHED
    assert nest["queue-agent"].status == NOT_MATCHED
    go = {r.name: r for r in match_agents(library.agents, detect(make(tmp_path / "c", GO)))}
    assert go["devops-agent"].status == MATCHED  # Dockerfile
    assert go["ml-trainer"].status == NOT_MATCHED


def test_detect_cli_lists_triggered_agents(run_cli: Callable[..., tuple[int, str, str]],
                                           tmp_path: Path, demo_dir: Path) -> None:
    make(tmp_path, FASTAPI)
    code, out, _err = run_cli("detect", str(tmp_path), "--agents", str(demo_dir))
    assert code == 0
    assert "Agents that apply to this project" in out
    assert "backend-agent" in out and "because: FastAPI (pyproject.toml:5)" in out
    code, out, _err = run_cli("detect", str(tmp_path), "--format", "json", "--agents",
                              str(demo_dir))
    agents = {a["name"]: a for a in json.loads(out)["agents"]}
    assert agents["backend-agent"]["status"] == "matched"


def test_render_with_project_fills_from_detection(run_cli: Callable[..., tuple[int, str, str]],
                                                  tmp_path: Path, write: Write) -> None:
    project = make(tmp_path / "proj", GO)
    write("lib/a.md", "---\nname: a\ndescription: d\n---\nUse {{framework}}; run"
                      " {{test_command}} for {{unknown_one}}.\n")
    code, out, err = run_cli("render", "a", str(tmp_path / "lib"), "--project", str(project),
                             "--var", "test_command=go test -race ./...")
    assert code == 0
    assert out == "Use Gin 1.9; run go test -race ./... for {{unknown_one}}.\n"
    assert "unknown_one" in err


def test_ten_thousand_files_detect_fast(tmp_path: Path) -> None:
    make(tmp_path, FASTAPI)
    for folder in range(100):
        sub = tmp_path / "app" / f"pkg{folder:03d}"
        sub.mkdir(parents=True)
        for index in range(100):
            (sub / f"mod{index:03d}.py").write_text("x = 1\n")
    start = time.perf_counter()
    found = detect(tmp_path)
    elapsed = time.perf_counter() - start
    assert value(found, "framework") == "FastAPI"
    assert elapsed < 1.0, f"detection took {elapsed:.2f} s"
