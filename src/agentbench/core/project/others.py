"""Go, Rust, JVM, Ruby and PHP manifests, Makefiles, CI workflows, Docker and style configs."""

from __future__ import annotations

import json
import re

from agentbench.core.project import tables
from agentbench.core.project.scan import (
    CI,
    CONFIG,
    DEFAULT,
    EXPLICIT,
    MAKEFILE,
    Evidence,
    Scan,
    add_dep,
    line_of,
)


def read_all(scan: Scan) -> None:
    read_go(scan)
    read_rust(scan)
    read_jvm(scan)
    read_ruby(scan)
    read_php(scan)
    read_makefile(scan)
    read_ci(scan)
    read_containers(scan)
    read_style(scan)


def read_go(scan: Scan) -> None:
    for rel in scan.manifests("go.mod")[:1]:
        text = scan.read(rel)
        if text is None:
            continue
        folder = rel[: -len("go.mod")]
        evidence = Evidence(rel, 1)
        module = re.search(r"^module\s+(\S+)", text, re.MULTILINE)
        if module:
            evidence = Evidence(rel, text.count("\n", 0, module.start()) + 1, module.group(0))
            scan.offer("project_name", module.group(1).rstrip("/").rsplit("/", 1)[-1], CONFIG,
                       evidence)
        version = re.search(r"^go\s+(\d+\.\d+)", text, re.MULTILINE)
        go_evidence = (Evidence(rel, text.count("\n", 0, version.start()) + 1, version.group(0))
                       if version else evidence)
        scan.tech("Go", "language", go_evidence, version.group(1) if version else "")
        if version:
            scan.offer("go_version", version.group(1), CONFIG, go_evidence)
        for match in re.finditer(r"^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+/[^\s]+)\s+v(\d+\.\d+)",
                                 text, re.MULTILINE):
            line = text.count("\n", 0, match.start()) + 1
            add_dep(scan, tables.GO, match.group(1).lower(),
                    Evidence(rel, line, match.group(0).strip()), match.group(2))
        scan.offer("test_command", "go test ./...", DEFAULT, go_evidence)
        scan.offer("build_command", "go build ./...", DEFAULT, go_evidence)
        scan.offer("format_command", "gofmt -w .", DEFAULT, go_evidence)
        scan.offer("install_command", "go mod download", DEFAULT, go_evidence)
        lint_config = next((f for f in (folder + ".golangci.yml", folder + ".golangci.yaml")
                            if scan.layout.has_file(f)), None)
        if lint_config:
            scan.tech("golangci-lint", "lint", Evidence(lint_config))
            scan.offer("lint_command", "golangci-lint run", CONFIG, Evidence(lint_config))
        else:
            scan.offer("lint_command", "go vet ./...", DEFAULT, go_evidence)
        mains = sorted(f for f in scan.layout.files
                       if re.fullmatch(re.escape(folder) + r"cmd/[\w.-]+/main\.go", f))
        if mains:
            scan.offer("dev_command", "go run ./" + mains[0][len(folder):-len("/main.go")],
                       CONFIG, Evidence(mains[0]))
        elif scan.layout.has_file(folder + "main.go"):
            scan.offer("dev_command", "go run .", CONFIG, Evidence(folder + "main.go"))
        if scan.has("golang-migrate"):
            where = next((d for d in ("migrations", "db/migrations") if d in scan.layout.dirs),
                         "migrations")
            scan.offer("migration_command",
                       f'migrate -path {where} -database "$DATABASE_URL" up', DEFAULT,
                       scan.techs["golang-migrate"].evidence)
        if scan.has("goose"):
            scan.offer("migration_command", "goose up", DEFAULT, scan.techs["goose"].evidence)


def read_rust(scan: Scan) -> None:
    for rel in scan.manifests("Cargo.toml")[:1]:
        loaded = scan.read_toml(rel)
        if loaded is None:
            continue
        text, data = loaded
        evidence = Evidence(rel, 1)
        scan.tech("Rust", "language", evidence)
        package = data.get("package")
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            scan.offer("project_name", package["name"], CONFIG,
                       Evidence(rel, line_of(text, r"^name\s*="), package["name"]))
        for section in ("dependencies", "dev-dependencies"):
            deps = data.get(section)
            if isinstance(deps, dict):
                for dep in deps:
                    line = line_of(text, r"^" + re.escape(str(dep)) + r"\s*=",
                                   after=rf"^\[{section}\]")
                    add_dep(scan, tables.RUST, str(dep), Evidence(rel, line, str(dep)))
        for role, command in (("test_command", "cargo test"), ("build_command", "cargo build"),
                              ("lint_command", "cargo clippy -- -D warnings"),
                              ("format_command", "cargo fmt"), ("dev_command", "cargo run")):
            scan.offer(role, command, DEFAULT, evidence)
        if scan.has("Diesel"):
            scan.offer("migration_command", "diesel migration run", DEFAULT,
                       scan.techs["Diesel"].evidence)
        if scan.has("SQLx"):
            scan.offer("migration_command", "sqlx migrate run", DEFAULT,
                       scan.techs["SQLx"].evidence)


def read_jvm(scan: Scan) -> None:
    for rel in scan.manifests("pom.xml")[:1]:
        text = scan.read(rel)
        if text is None:
            continue
        scan.tech("Java", "language", Evidence(rel, 1))
        scan.tech("Maven", "build", Evidence(rel, 1))
        for match in re.finditer(r"<(?:groupId|artifactId)>\s*([\w.-]+)\s*<", text):
            line = text.count("\n", 0, match.start()) + 1
            add_dep(scan, tables.JAVA, match.group(1), Evidence(rel, line, match.group(0)))
        mvn = "./mvnw" if scan.layout.has_file("mvnw") else "mvn"
        evidence = Evidence(rel, 1)
        scan.offer("build_tool", "Maven", CONFIG, evidence)
        scan.offer("test_command", f"{mvn} test", DEFAULT, evidence)
        scan.offer("build_command", f"{mvn} package", DEFAULT, evidence)
        if scan.has("Spring Boot"):
            scan.offer("dev_command", f"{mvn} spring-boot:run", DEFAULT, evidence)
    for rel in scan.manifests("build.gradle", "build.gradle.kts")[:1]:
        text = scan.read(rel)
        if text is None:
            continue
        evidence = Evidence(rel, 1)
        scan.tech("Kotlin" if rel.endswith(".kts") and "kotlin(" in text else "Java",
                  "language", evidence)
        for match in re.finditer(r"[\"']([\w.-]+):([\w.-]+)(?::[\w.-]+)?[\"']", text):
            line = text.count("\n", 0, match.start()) + 1
            for name in (match.group(1), match.group(2)):
                add_dep(scan, tables.JAVA, name, Evidence(rel, line, match.group(0)))
        if "org.springframework.boot" in text:
            scan.tech("Spring Boot", "framework",
                      Evidence(rel, line_of(text, r"org\.springframework\.boot")))
        gradle = "./gradlew" if scan.layout.has_file("gradlew") else "gradle"
        scan.offer("build_tool", "Gradle", CONFIG, evidence)
        scan.offer("test_command", f"{gradle} test", DEFAULT, evidence)
        scan.offer("build_command", f"{gradle} build", DEFAULT, evidence)
        if scan.has("Spring Boot"):
            scan.offer("dev_command", f"{gradle} bootRun", DEFAULT, evidence)


def read_ruby(scan: Scan) -> None:
    for rel in scan.manifests("Gemfile")[:1]:
        text = scan.read(rel)
        if text is None:
            continue
        scan.tech("Ruby", "language", Evidence(rel, 1))
        for match in re.finditer(r"^\s*gem\s+[\"']([\w.-]+)[\"']", text, re.MULTILINE):
            line = text.count("\n", 0, match.start()) + 1
            add_dep(scan, tables.RUBY, match.group(1), Evidence(rel, line, match.group(0).strip()))
        rails = scan.has("Rails")
        if scan.has("RSpec"):
            scan.offer("test_command", "bundle exec rspec", DEFAULT, scan.techs["RSpec"].evidence)
        elif rails:
            scan.offer("test_command", "bin/rails test", DEFAULT, scan.techs["Rails"].evidence)
        if scan.has("RuboCop"):
            scan.offer("lint_command", "bundle exec rubocop", DEFAULT,
                       scan.techs["RuboCop"].evidence)
        if rails:
            evidence = scan.techs["Rails"].evidence
            scan.offer("dev_command", "bin/rails server", DEFAULT, evidence)
            scan.offer("migration_command", "bin/rails db:migrate", DEFAULT, evidence)
        if scan.has("Sidekiq"):
            scan.offer("worker_command", "bundle exec sidekiq", DEFAULT,
                       scan.techs["Sidekiq"].evidence)
        scan.offer("install_command", "bundle install", DEFAULT, Evidence(rel, 1))


def read_php(scan: Scan) -> None:
    for rel in scan.manifests("composer.json")[:1]:
        loaded = scan.read_json_object(rel)
        if loaded is None:
            continue
        text, data = loaded
        scan.tech("PHP", "language", Evidence(rel, 1))
        for section in ("require", "require-dev"):
            deps = data.get(section)
            if isinstance(deps, dict):
                for dep in deps:
                    line = line_of(text, r'"' + re.escape(str(dep)) + r'"\s*:',
                                   after=f'"{section}"')
                    add_dep(scan, tables.PHP, str(dep), Evidence(rel, line, str(dep)))
        scripts = data.get("scripts")
        if isinstance(scripts, dict):
            for script, role in (("test", "test_command"), ("lint", "lint_command"),
                                 ("format", "format_command"), ("analyse", "type_check_command")):
                if script in scripts:
                    line = line_of(text, r'"' + script + r'"\s*:', after='"scripts"')
                    scan.offer(role, f"composer {script}", EXPLICIT, Evidence(rel, line, script))
        for tech, role, command in (
                ("Pest", "test_command", "vendor/bin/pest"),
                ("PHPUnit", "test_command", "vendor/bin/phpunit"),
                ("PHPStan", "type_check_command", "vendor/bin/phpstan analyse"),
                ("PHP CS Fixer", "format_command", "vendor/bin/php-cs-fixer fix")):
            if scan.has(tech):
                scan.offer(role, command, DEFAULT, scan.techs[tech].evidence)
        if scan.has("Laravel"):
            evidence = scan.techs["Laravel"].evidence
            scan.offer("dev_command", "php artisan serve", DEFAULT, evidence)
            scan.offer("migration_command", "php artisan migrate", DEFAULT, evidence)
            scan.offer("worker_command", "php artisan queue:work", DEFAULT, evidence)


_MAKE_ROLES = {
    "test": "test_command", "tests": "test_command", "lint": "lint_command",
    "fmt": "format_command", "format": "format_command", "build": "build_command",
    "dev": "dev_command", "run": "dev_command", "serve": "dev_command", "start": "dev_command",
    "migrate": "migration_command", "db-migrate": "migration_command",
    "typecheck": "type_check_command", "type-check": "type_check_command",
    "mypy": "type_check_command", "worker": "worker_command", "install": "install_command",
    "coverage": "test_coverage_command", "docker-build": "docker_build_command",
    "deploy": "deploy_command", "clean": "clean_command",
}


def read_makefile(scan: Scan) -> None:
    for rel in ("Makefile", "makefile", "GNUmakefile"):
        if not scan.layout.has_file(rel):
            continue
        text = scan.read(rel)
        if text is None:
            return
        for match in re.finditer(r"^([A-Za-z0-9_.-]+)\s*:(?![:=])", text, re.MULTILINE):
            role = _MAKE_ROLES.get(match.group(1))
            if role:
                line = text.count("\n", 0, match.start()) + 1
                scan.offer(role, f"make {match.group(1)}", MAKEFILE,
                           Evidence(rel, line, match.group(0)))
        return


# A CI step's command -> the value it is evidence for.
_CI_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("test_command", re.compile(
        r"^(?:(?:poetry|uv|pdm|pipenv) run )?(?:python -m )?pytest\b.*|^(?:npm|yarn|pnpm|bun)"
        r" (?:run )?test\b.*|^go test\b.*|^cargo test\b.*|^(?:\./)?(?:mvnw?|gradlew?) .*test\b.*"
        r"|^bundle exec rspec\b.*|^vendor/bin/(?:phpunit|pest)\b.*|^make test\b.*")),
    ("lint_command", re.compile(
        r"^(?:(?:poetry|uv|pdm|pipenv) run )?(?:ruff check|flake8|pylint)\b.*|^(?:npm|yarn|pnpm)"
        r" (?:run )?lint\b.*|^(?:npx )?eslint\b.*|^golangci-lint\b.*|^cargo clippy\b.*"
        r"|^bundle exec rubocop\b.*|^make lint\b.*")),
    ("type_check_command", re.compile(
        r"^(?:(?:poetry|uv|pdm|pipenv) run )?(?:mypy|pyright)\b.*|^(?:npx )?tsc --noEmit\b.*")),
    ("build_command", re.compile(r"^(?:npm|yarn|pnpm) (?:run )?build\b.*|^go build\b.*"
                                 r"|^cargo build\b.*|^make build\b.*")),
)


def read_ci(scan: Scan) -> None:
    workflows = sorted(f for f in scan.layout.files if f.startswith(".github/workflows/")
                       and f.endswith((".yml", ".yaml")))
    if workflows:
        scan.offer("cicd_platform", "GitHub Actions", CONFIG, Evidence(workflows[0]))
        scan.offer("cicd_dirs", ".github/workflows/", CONFIG, Evidence(workflows[0]))
    ci_files = workflows[:20]
    if scan.layout.has_file(".gitlab-ci.yml"):
        scan.offer("cicd_platform", "GitLab CI", CONFIG, Evidence(".gitlab-ci.yml"))
        ci_files.append(".gitlab-ci.yml")
    if scan.layout.has_file("Jenkinsfile"):
        scan.offer("cicd_platform", "Jenkins", CONFIG, Evidence("Jenkinsfile"))
    for rel in ci_files:
        text = scan.read(rel)
        if text is None:
            continue
        for number, raw in enumerate(text.split("\n"), 1):
            command = re.sub(r"^\s*(?:-\s*)?(?:run:\s*)?", "", raw).strip().strip("'\"")
            if not command or "${{" in command or len(command) > 200:
                continue
            for role, pattern in _CI_PATTERNS:
                if pattern.match(command):
                    scan.offer(role, command, CI, Evidence(rel, number, raw.strip()))
                    break


def read_containers(scan: Scan) -> None:
    dockerfile = next((f for f in scan.layout.files if f.rsplit("/", 1)[-1] == "Dockerfile"
                       and f.count("/") <= 1), None)
    if dockerfile:
        scan.tech("Docker", "container", Evidence(dockerfile))
        name = scan.candidates.get("project_name")
        tag = min(name)[2] if name else "app"
        tag = re.sub(r"[^a-z0-9._-]+", "-", tag.lower()).strip("-") or "app"
        scan.offer("docker_build_command", f"docker build -t {tag} .", DEFAULT,
                   Evidence(dockerfile))
    for rel in ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"):
        if not scan.layout.has_file(rel):
            continue
        scan.tech("Docker", "container", Evidence(rel))
        text = scan.read(rel)
        if text is None:
            break
        for match in re.finditer(r"^\s*image:\s*[\"']?(postgres|mysql|mariadb|mongo|redis|"
                                 r"rabbitmq|bitnami/kafka|confluentinc/cp-kafka)(?::([\w.-]+))?",
                                 text, re.MULTILINE):
            names = {"postgres": ("PostgreSQL", "database"), "mysql": ("MySQL", "database"),
                     "mariadb": ("MariaDB", "database"), "mongo": ("MongoDB", "database"),
                     "redis": ("Redis", "cache"), "rabbitmq": ("RabbitMQ", "broker"),
                     "bitnami/kafka": ("Kafka", "broker"),
                     "confluentinc/cp-kafka": ("Kafka", "broker")}
            display, kind = names[match.group(1)]
            version = re.match(r"(\d+(?:\.\d+)?)", match.group(2) or "")
            line = text.count("\n", 0, match.start()) + 1
            scan.techs.pop(display, None)  # the image names the version actually run
            scan.tech(display, kind, Evidence(rel, line, match.group(0).strip()),
                      version.group(1) if version else "")
        break
    for folder, tech in (("terraform", "Terraform"), ("k8s", "Kubernetes"),
                         ("kubernetes", "Kubernetes"), ("helm", "Helm")):
        if folder in scan.layout.dirs:
            scan.tech(tech, "infra", Evidence(folder + "/"))
    if ".tf" in scan.layout.extensions:
        scan.tech("Terraform", "infra", Evidence(scan.layout.extensions[".tf"]))


def read_style(scan: Scan) -> None:
    if scan.layout.has_file(".editorconfig"):
        text = scan.read(".editorconfig")
        if text:
            size = re.search(r"^indent_size\s*=\s*(\d+)", text, re.MULTILINE)
            style = re.search(r"^indent_style\s*=\s*(\w+)", text, re.MULTILINE)
            if style and style.group(1) == "tab":
                scan.offer("indentation", "tabs", CONFIG,
                           Evidence(".editorconfig", text.count("\n", 0, style.start()) + 1))
            elif size:
                scan.offer("indentation", f"{size.group(1)} spaces", CONFIG,
                           Evidence(".editorconfig", text.count("\n", 0, size.start()) + 1,
                                    size.group(0)))
    for rel in (".prettierrc", ".prettierrc.json"):
        if not scan.layout.has_file(rel):
            continue
        text = scan.read(rel)
        try:
            data = json.loads(text) if text else None
        except json.JSONDecodeError as error:
            scan.note(f"{rel}: skipped, not valid JSON (line {error.lineno}: {error.msg})")
            continue
        if not isinstance(data, dict) or text is None:
            continue
        if isinstance(data.get("printWidth"), int):
            scan.offer("line_length", str(data["printWidth"]), CONFIG,
                       Evidence(rel, line_of(text, r'"printWidth"')))
        if isinstance(data.get("tabWidth"), int):
            scan.offer("indentation", f"{data['tabWidth']} spaces", CONFIG,
                       Evidence(rel, line_of(text, r'"tabWidth"')))
        if isinstance(data.get("singleQuote"), bool):
            scan.offer("quote_style", "single quotes" if data["singleQuote"] else "double quotes",
                       CONFIG, Evidence(rel, line_of(text, r'"singleQuote"')))
        if isinstance(data.get("semi"), bool):
            scan.offer("semicolons", "required" if data["semi"] else "omitted", CONFIG,
                       Evidence(rel, line_of(text, r'"semi"')))
