"""The portal's own address, for links in notices and letters, follows the port in development."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _portal_url(**environ: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"PORTAL_URL", "PORT", "DEBUG"}}
    env.update(environ, DJANGO_SETTINGS_MODULE="config.settings")
    code = "from django.conf import settings; print(settings.PORTAL_URL)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_portal_url_follows_port_in_development() -> None:
    assert _portal_url(DEBUG="1", PORT="8401") == "http://127.0.0.1:8401"


def test_portal_url_defaults_to_port_8000_in_development() -> None:
    assert _portal_url(DEBUG="1") == "http://127.0.0.1:8000"


def test_portal_url_set_explicitly_wins_over_port() -> None:
    assert (
        _portal_url(DEBUG="1", PORT="8401", PORTAL_URL="https://kopru.example.org")
        == "https://kopru.example.org"
    )


def test_port_alone_does_not_move_a_production_portal_url() -> None:
    assert _portal_url(DEBUG="0", PORT="8401") == "http://127.0.0.1:8000"


def test_make_run_passes_port_to_every_step() -> None:
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8401"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\\\n", " ")
    steps = [line for line in plan.splitlines() if "manage.py" in line]
    assert [s for s in steps if "migrate" in s or "seed_demo" in s or "runserver" in s]
    assert all("PORT=8401" in step for step in steps), steps
