"""Stop at once, with a way out, when the test suite's PostgreSQL or Redis is not there."""

import os
import sys
from urllib.parse import urlsplit

import psycopg2
import redis

database_url = os.environ["DATABASE_URL"]
redis_url = os.environ["REDIS_URL"]
problems = []

try:
    parts = urlsplit(database_url)
    psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        connect_timeout=3,
    ).close()
except psycopg2.OperationalError as exc:
    problems.append(
        f"PostgreSQL is not reachable at {database_url}: {str(exc).strip()}\n"
        "  start it:  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
        "  or:        docker compose up -d postgres"
    )

try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
except redis.RedisError as exc:
    problems.append(
        f"Redis is not reachable at {redis_url}: {exc}\n"
        "  start it:  redis-server --daemonize yes --port 6379 --save '' --appendonly no\n"
        "  or:        docker compose up -d redis"
    )

if problems:
    print("The test suite needs PostgreSQL and Redis.\n" + "\n".join(problems), file=sys.stderr)
    sys.exit(2)
