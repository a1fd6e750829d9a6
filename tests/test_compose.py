"""docker-compose.yml and the Dockerfile, checked without Docker."""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def services() -> dict:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return compose["services"]


def command_text(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_compose_has_every_service(services):
    assert {"postgres", "redis", "web", "worker", "beat"} <= services.keys()
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert "healthcheck" in services["postgres"]
    assert "healthcheck" in services["redis"]


def test_compose_app_services_share_one_image_and_environment(services):
    images = {services[name]["image"] for name in APP_SERVICES}
    builds = [services[name]["build"] for name in APP_SERVICES]
    environments = [services[name]["environment"] for name in APP_SERVICES]

    assert len(images) == 1
    assert all(build == builds[0] for build in builds)
    assert all(environment == environments[0] for environment in environments)
    environment = environments[0]
    assert environment["DATABASE_URL"] == "postgres://postgres:postgres@postgres:5432/kopru"
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert str(environment["DEBUG"]) == "0"
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL"} <= environment.keys()


def test_compose_app_services_wait_for_healthy_database_and_broker(services):
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert depends_on["postgres"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name


def test_compose_commands(services):
    web = command_text(services["web"])

    assert re.search(r"manage\.py migrate\b.*manage\.py seed_demo\b.*gunicorn config\.wsgi", web)
    assert "8000:8000" in [str(port) for port in services["web"]["ports"]]
    assert re.search(r"\bcelery -A config worker\b", command_text(services["worker"]))
    assert re.search(r"\bcelery -A config beat\b", command_text(services["beat"]))


def test_dockerfile_serves_config_wsgi_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")

    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "collectstatic" in dockerfile
    assert re.search(r"^USER (?!root\b)\S+", dockerfile, re.MULTILINE)
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert cmd is not None
    argv = json.loads(cmd.group(1))
    assert argv[0] == "gunicorn"
    assert argv[1].startswith("config.wsgi")
