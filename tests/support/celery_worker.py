"""A private Redis broker and a real Celery worker process for delivery tests.

The worker is the project's own (``celery -A config worker``), connected to the
test database and to a Redis server started for the test on a free port, so
stopping the broker does not disturb anything else.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import kombu.pools
from django.db import connection

from config.celery_app import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class PrivateRedis:
    def __init__(self, port: int, directory: Path) -> None:
        self.port = port
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="the private Redis")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def point_celery_at(broker_url: str) -> None:
    """Make this process publish to ``broker_url`` (as Celery itself resets after a fork)."""
    celery_app.conf.broker_url = broker_url
    celery_app.conf.task_always_eager = False
    kombu.pools.reset()  # drop connections cached for the old, or the restarted, broker
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def point_celery_back() -> None:
    """Undo ``point_celery_at``: the settings' broker and eagerness again, for the tests
    that run after in this process (under pytest-xdist, any test module may)."""
    for key in ("broker_url", "task_always_eager"):
        celery_app.conf.changes.pop(key, None)
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def current_database_url() -> str:
    """The URL of the database this test process uses, for a process it starts.

    Read from the live connection once the test database exists: its NAME is the
    test database's (``test_kopru``, or ``test_kopru_gw0``, ``test_kopru_gw1``, ...
    under pytest-xdist, one per worker), never the one DATABASE_URL names.
    """
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return (
        f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{quote(db['NAME'], safe='')}"
    )


class Worker:
    def __init__(self, *, broker_url: str, mail_dir: Path, log: Path, email_delay: float) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # The same test database as this process: its xdist worker's own.
            "DATABASE_URL": current_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "REDIS_URL": broker_url,
            # django-environ drops the first slash of the path: four make it absolute.
            "EMAIL_URL": f"filemail:///{mail_dir}",
            "EMAIL_BACKEND": "tests.support.email.SlowFileBackend",
            "KOPRU_TEST_EMAIL_DELAY": str(email_delay),
            "PYTHONPATH": str(ROOT),
        }
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.write_text("")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: "ready." in self.log.read_text(), timeout=60, what="the worker")

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            self.process = None
