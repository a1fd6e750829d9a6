"""How fast can officers approve applications on one channel? ``make bench-allocation``.

Compares the portal's real approve endpoint, served by gunicorn over HTTP, with
the raw limit of the database: one conditional ``UPDATE quotas_channel`` and
``COMMIT`` per operation on one channel row, which is what every approval on a
channel must serialise on. Prints numbers only; nothing here passes or fails.

Steps:

1. the bench database (``DATABASE_URL``, default ``kopru_bench`` on the local
   PostgreSQL) is created if missing and migrated; no other database is touched;
2. a fresh pool is built: one large channel (slots = all approvals + 1, so none
   waitlists), a small one for the over-demand run, a raw-UPDATE channel,
   applications "in review", a reviewer (embassy officer) with an API token;
3. raw limit: threads with their own psycopg2 connection, one UPDATE + COMMIT each;
4. the portal under gunicorn on a free port; clients POST
   ``/api/v1/applications/{id}/approve/`` on distinct applications;
5. the anatomy of one approve, in-process: its queries, and which of them run
   while the channel row is locked.

Run with ``python -m bench.allocation`` from the project root (or ``make
bench-allocation``). Tunables (environment): BENCH_APPROVALS (per level, 400),
BENCH_LEVEL_SECONDS (time bound per level, 30), BENCH_RAW_SECONDS (3),
BENCH_WORKERS (4), BENCH_THREADS (8); BENCH_FRESH_DB=1 drops and recreates the bench
database first. A database whose name lacks "bench" is refused unless BENCH_ANY_DATABASE=1.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import psycopg2
from psycopg2 import sql

if TYPE_CHECKING:
    from types import FrameType

    import psycopg2.extensions
    from django.test import Client

# A query as Django's execute wrappers receive it (connection.execute_wrapper).
Execute = Callable[[str, object, bool, dict[str, Any]], object]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kopru_bench"
LEVELS = (1, 8, 32)
APPROVALS_PER_LEVEL = int(os.environ.get("BENCH_APPROVALS", "400"))
LEVEL_SECONDS = float(os.environ.get("BENCH_LEVEL_SECONDS", "30"))
RAW_SECONDS = float(os.environ.get("BENCH_RAW_SECONDS", "3"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
WARMUP_APPROVALS = 64
ANATOMY_APPROVALS = 20
OVERFLOW_APPLICATIONS = 200
OVERFLOW_SLOTS = 100
OVERFLOW_CONCURRENCY = 8
HEALTH_TIMEOUT = 40.0


# --- Database -------------------------------------------------------------------


@dataclass(frozen=True)
class Db:
    url: str
    host: str
    port: int
    user: str
    password: str | None
    name: str

    @classmethod
    def parse(cls, url: str) -> Db:
        parts = urlsplit(url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            sys.exit(f"bench-allocation needs PostgreSQL; DATABASE_URL is {url!r}")
        name = unquote(parts.path.lstrip("/"))
        if not name:
            sys.exit(f"DATABASE_URL names no database: {url!r}")
        return cls(
            url=url,
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            password=unquote(parts.password) if parts.password else None,
            name=name,
        )

    def connect(self, dbname: str | None = None) -> psycopg2.extensions.connection:
        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=dbname or self.name,
            connect_timeout=5,
        )


def database_prepare(db: Db) -> None:
    """Create the bench database if missing (on the maintenance db), then migrate it."""
    try:
        admin = db.connect("postgres")
    except psycopg2.OperationalError as exc:
        sys.exit(f"PostgreSQL is not reachable at {db.host}:{db.port}: {str(exc).strip()}")
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            if os.environ.get("BENCH_FRESH_DB") == "1":
                print(f"dropping database {db.name} (BENCH_FRESH_DB=1)")
                cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(db.name)))
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db.name])
            if cur.fetchone() is None:
                print(f"creating database {db.name}")
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db.name)))
    finally:
        admin.close()
    started = time.perf_counter()
    migrated = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=portal_env(db),
        check=False,
        timeout=300,
    )
    if migrated.returncode:
        sys.exit(
            f"migrating {db.name} failed; if its migration history no longer matches the "
            "code, start it afresh with BENCH_FRESH_DB=1"
        )
    print(f"migrated {db.name} in {time.perf_counter() - started:.1f}s")


def portal_env(db: Db) -> dict[str, str]:
    """The environment of the portal: the bench database, no broker, production-like."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db.url,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        DJANGO_SETTINGS_MODULE="config.settings",
        # Empty rather than unset, so that a local .env cannot bring a broker back.
        REDIS_URL="",
        CELERY_BROKER_URL="",
        LOG_LEVEL="WARNING",
    )
    return env


# --- The world ------------------------------------------------------------------


@dataclass
class World:
    token: str
    pool_id: int
    channel_id: int
    small_channel_id: int
    raw_channel_id: int
    warmup: list[int]
    levels: dict[int, list[int]]
    overflow: list[int]
    anatomy: list[int]


def world_build(tag: str) -> World:
    """A fresh pool, its channels, a reviewer with a token and applications in review."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from applications.choices import ApplicationStatus
    from applications.models import Application
    from institutions.choices import InstitutionKind, MembershipRole
    from institutions.models import Institution, Membership, Specialty
    from patients.models import Patient
    from quotas.choices import AgreementKind, AgreementStatus, PoolKind
    from quotas.models import Agreement, Channel, QuotaPool

    main_count = WARMUP_APPROVALS + APPROVALS_PER_LEVEL * len(LEVELS) + ANATOMY_APPROVALS
    today = timezone.localdate()
    with transaction.atomic():
        embassy = Institution.objects.create(
            name=f"Bench embassy {tag}", kind=InstitutionKind.EMBASSY, country="KG"
        )
        small_embassy = Institution.objects.create(
            name=f"Bench consulate {tag}", kind=InstitutionKind.EMBASSY, country="KG"
        )
        raw_embassy = Institution.objects.create(
            name=f"Bench raw {tag}", kind=InstitutionKind.EMBASSY, country="KG"
        )
        ministry = Institution.objects.create(
            name=f"Bench ministry {tag}", kind=InstitutionKind.MINISTRY_OF_HEALTH, country="KG"
        )
        agreement = Agreement.objects.create(
            title=f"Bench agreement {tag}",
            kind=AgreementKind.INTERGOVERNMENTAL,
            status=AgreementStatus.ACTIVE,
            valid_from=today,
        )
        pool = QuotaPool.objects.create(
            agreement=agreement,
            name=f"Bench pool {tag}",
            code=f"BENCH-{tag}",
            kind=PoolKind.TREATMENT,
            period_start=today,
            period_end=today + datetime.timedelta(days=365),
            sending_country="KG",
            host_country="TR",
            total_slots=main_count + 1 + OVERFLOW_SLOTS,
            hold_days=30,
        )
        channel = Channel.objects.create(
            pool=pool, issuing_institution=embassy, slots=main_count + 1
        )
        small = Channel.objects.create(
            pool=pool, issuing_institution=small_embassy, slots=OVERFLOW_SLOTS
        )
        raw = Channel.objects.create(pool=pool, issuing_institution=raw_embassy, slots=10**9)
        reviewer = get_user_model().objects.create_user(
            username=f"bench-reviewer-{tag}", password=None
        )
        for institution in (embassy, small_embassy):
            Membership.objects.create(
                user=reviewer, institution=institution, role=MembershipRole.EMBASSY_OFFICER
            )
        token = Token.objects.create(user=reviewer)
        specialty, _created = Specialty.objects.get_or_create(
            code="bench-oncology", defaults={"name_ru": "Онкология", "name_en": "Oncology"}
        )

        def applications(on: Channel, count: int, prefix: str) -> list[int]:
            patients = Patient.objects.bulk_create(
                Patient(
                    name_native=f"Бенч {prefix} {i}",
                    name_latin=f"BENCH {prefix} {i}",
                    birth_date=datetime.date(1980, 1, 1),
                    sex="female",
                    citizenship="KG",
                    document_type="passport",
                    document_number=f"B{tag}{prefix}{i:06d}",
                    document_country="KG",
                    registered_by=ministry,
                )
                for i in range(count)
            )
            created = Application.objects.bulk_create(
                Application(
                    number=f"B-{tag}-{prefix}-{i:06d}",
                    pool=pool,
                    channel=on,
                    patient=patient,
                    specialty=specialty,
                    diagnosis_code="C50.9",
                    diagnosis_text="Malignant neoplasm of breast",
                    medical_summary="Stage II, surgery indicated.",
                    urgency="routine",
                    status=ApplicationStatus.IN_REVIEW,
                    created_by=reviewer,
                )
                for i, patient in enumerate(patients)
            )
            return [a.pk for a in created]

        main_ids = iter(applications(channel, main_count, "M"))
        overflow = applications(small, OVERFLOW_APPLICATIONS, "S")

    def take(n: int) -> list[int]:
        return [next(main_ids) for _ in range(n)]

    return World(
        token=token.key,
        pool_id=pool.pk,
        channel_id=channel.pk,
        small_channel_id=small.pk,
        raw_channel_id=raw.pk,
        warmup=take(WARMUP_APPROVALS),
        levels={level: take(APPROVALS_PER_LEVEL) for level in LEVELS},
        overflow=overflow,
        anatomy=take(ANATOMY_APPROVALS),
    )


# --- Measuring ------------------------------------------------------------------


@dataclass
class Run:
    """Latencies and outcomes of one concurrency level."""

    clients: int
    wall: float = 0.0
    cpu_busy: float = math.nan  # share of all cores busy during the run, whatever the process
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    sample_error: str = ""

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.done / self.wall if self.wall else 0.0

    def pct_ms(self, p: float) -> float:
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def cpu_times() -> tuple[float, float] | None:
    """(busy, total) jiffies of the whole machine, from /proc/stat; None elsewhere."""
    try:
        fields = [float(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
    return sum(fields) - idle, sum(fields)


def run_threads(clients: int, work: Callable[[Run, threading.Barrier], None]) -> Run:
    """Start ``clients`` threads on ``work``, released together; time until the last ends."""
    run = Run(clients)
    starts: list[float] = []
    barrier = threading.Barrier(clients + 1, action=lambda: starts.append(time.perf_counter()))
    threads = [
        threading.Thread(target=work, args=(run, barrier), daemon=True) for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    before = cpu_times()
    for thread in threads:
        thread.join(timeout=LEVEL_SECONDS + 90)
    run.wall = time.perf_counter() - starts[0]
    after = cpu_times()
    if before and after and after[1] > before[1]:
        run.cpu_busy = (after[0] - before[0]) / (after[1] - before[1])
    return run


def raw_level(db: Db, channel_id: int, clients: int) -> Run:
    """One conditional UPDATE + COMMIT per operation, each thread on its own connection."""
    statement = (
        "UPDATE quotas_channel SET live_allocations = live_allocations + 1 "
        "WHERE id = %s AND live_allocations < slots"
    )

    def work(run: Run, barrier: threading.Barrier) -> None:
        conn = db.connect()
        try:
            cur = conn.cursor()
            cur.execute("SELECT 1")  # connected and warm before the clock starts
            conn.commit()
            barrier.wait()
            deadline = time.perf_counter() + RAW_SECONDS
            while True:
                started = time.perf_counter()
                if started >= deadline:
                    break
                cur.execute(statement, [channel_id])
                conn.commit()
                run.latencies.append(time.perf_counter() - started)
                run.statuses[cur.rowcount] += 1
        finally:
            conn.close()

    run = run_threads(clients, work)
    with contextlib.closing(db.connect()) as conn, conn.cursor() as cur:
        cur.execute("UPDATE quotas_channel SET live_allocations = 0 WHERE id = %s", [channel_id])
        conn.commit()
    return run


def approve_level(port: int, token: str, ids: list[int], clients: int) -> Run:
    """Each client POSTs approve on the next unapproved application, over keep-alive."""
    pending: Iterator[int] = iter(ids)
    lock = threading.Lock()
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }

    def work(run: Run, barrier: threading.Barrier) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        barrier.wait()
        deadline = time.perf_counter() + LEVEL_SECONDS
        try:
            while time.perf_counter() < deadline:
                with lock:
                    application_id = next(pending, None)
                if application_id is None:
                    break
                started = time.perf_counter()
                try:
                    conn.request(
                        "POST",
                        f"/api/v1/applications/{application_id}/approve/",
                        body=b"{}",
                        headers=headers,
                    )
                    response = conn.getresponse()
                    body = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status, body = -1, repr(exc).encode()
                run.latencies.append(time.perf_counter() - started)
                run.statuses[status] += 1
                if status != 200 and not run.sample_error:
                    run.sample_error = f"{status}: {body[:300].decode(errors='replace')}"
        finally:
            conn.close()

    return run_threads(clients, work)


# --- The portal under gunicorn ----------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """In the child before exec (Linux): get SIGTERM if the bench dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _stop_on_signal(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks: gunicorn stops


@contextlib.contextmanager
def gunicorn(db: Db) -> Iterator[int]:
    """The portal on a free port; always stopped on the way out."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--keep-alive",
        "30",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(  # noqa: S603 (our own gunicorn, a fixed argument list, no shell)
        command,
        cwd=ROOT,
        env=portal_env(db),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    try:
        health_wait(port, process, log.name)
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)  # the group we started, only
                process.wait(timeout=5)
        log.close()
        Path(log.name).unlink(missing_ok=True)


def health_wait(port: int, process: subprocess.Popen[bytes], log_path: str) -> None:
    deadline = time.monotonic() + HEALTH_TIMEOUT
    last = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            last = f"{response.status} {response.read()[:200]!r}"
            conn.close()
            if response.status == 200:
                return
        except OSError as exc:
            last = repr(exc)
        time.sleep(0.3)
    tail = Path(log_path).read_text(errors="replace")[-3000:]
    raise RuntimeError(f"gunicorn did not become healthy ({last}); its log:\n{tail}")


# --- The anatomy of one approve -------------------------------------------------


@dataclass
class Anatomy:
    queries: int
    in_transaction: int
    channel_locked: int
    wall_ms: float
    db_ms: float
    before_ms: float
    transaction_ms: float
    after_ms: float
    locked_ms: float
    lines: list[str]


def approve_sample(client: Client, application_id: int) -> Anatomy:
    """One approve in-process, every statement timed, the commit marked."""
    from django.db import connection

    events: list[tuple[str, float, float, bool]] = []
    commits: list[float] = []

    def record(
        execute: Execute, sql_: str, params: object, many: bool, context: dict[str, Any]
    ) -> object:
        started = time.perf_counter()
        try:
            return execute(sql_, params, many, context)
        finally:
            events.append((sql_, started, time.perf_counter(), connection.in_atomic_block))

    original_commit = connection.commit

    def commit() -> None:
        original_commit()
        commits.append(time.perf_counter())

    connection.commit = commit  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(record):
            started = time.perf_counter()
            response = client.post(
                f"/api/v1/applications/{application_id}/approve/",
                data={},
                content_type="application/json",
            )
            ended = time.perf_counter()
    finally:
        connection.commit = original_commit  # type: ignore[method-assign]
    if response.status_code != 200:
        raise RuntimeError(f"in-process approve answered {response.status_code}")
    inside = [e for e in events if e[3]]
    lock = next(
        (i for i, e in enumerate(events) if e[0].startswith('UPDATE "quotas_channel"')), None
    )
    commit_at = commits[0] if commits else ended
    lines = []
    for i, (sql_, t0, t1, atomic) in enumerate(events):
        mark = "L" if i == lock else "T" if atomic else " "
        lines.append(f"  {mark} {(t1 - t0) * 1000:6.2f} ms  {' '.join(sql_.split())[:110]}")
    return Anatomy(
        queries=len(events),
        in_transaction=len(inside),
        channel_locked=len([e for e in events[lock:] if e[3]]) if lock is not None else 0,
        wall_ms=(ended - started) * 1000,
        db_ms=sum(t1 - t0 for _s, t0, t1, _a in events) * 1000,
        before_ms=((inside[0][1] if inside else ended) - started) * 1000,
        transaction_ms=(commit_at - inside[0][1]) * 1000 if inside else 0.0,
        after_ms=(ended - commit_at) * 1000,
        locked_ms=(commit_at - events[lock][1]) * 1000 if lock is not None else 0.0,
        lines=lines,
    )


def approve_anatomy(token: str, ids: list[int]) -> Anatomy:
    """Approve in-process through the whole stack (middleware, DRF, service, serializer).

    Times are medians over ``ids``; the statement list is the last request's.
    """
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")
    # WhiteNoise's complaint that collectstatic has not run; no static file is asked for here.
    warnings.filterwarnings("ignore", message="No directory at")
    samples = [approve_sample(client, application_id) for application_id in ids]

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    last = samples[-1]
    return Anatomy(
        queries=last.queries,
        in_transaction=last.in_transaction,
        channel_locked=last.channel_locked,
        wall_ms=median([s.wall_ms for s in samples]),
        db_ms=median([s.db_ms for s in samples]),
        before_ms=median([s.before_ms for s in samples]),
        transaction_ms=median([s.transaction_ms for s in samples]),
        after_ms=median([s.after_ms for s in samples]),
        locked_ms=median([s.locked_ms for s in samples]),
        lines=last.lines,
    )


# --- Main -----------------------------------------------------------------------


def allocations_count(application_ids: list[int]) -> int:
    from allocations.models import Allocation

    return Allocation.objects.filter(application_id__in=application_ids).count()


def main() -> None:
    bench_started = time.perf_counter()
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, _stop_on_signal)
    db = Db.parse(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    if "bench" not in db.name and os.environ.get("BENCH_ANY_DATABASE") != "1":
        sys.exit(
            f"refusing to fill database {db.name!r} with bench data: its name has no 'bench'. "
            "Point DATABASE_URL at a bench database (default kopru_bench), or set "
            "BENCH_ANY_DATABASE=1 if you mean it."
        )
    load = load_average()
    database_prepare(db)

    os.environ.update(portal_env(db))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from applications.models import Application
    from quotas.models import Channel

    tag = f"{int(time.time()) % 10**8:08d}{os.getpid() % 1000:03d}"
    world = world_build(tag)
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg_version = cur.fetchone()[0]
    print(
        f"machine: {platform.node()}, nproc {os.cpu_count()}, Python {platform.python_version()}, "
        f"PostgreSQL {pg_version}, database {db.name} at {db.host}:{db.port}; "
        f"load average {load} before the bench"
    )
    if float(load.split()[0].replace("?", "0")) > 0.5:
        print("  note: something else is busy on this machine; the numbers will be noisy")
    print(
        f"gunicorn: {WORKERS} workers x {THREADS} threads (gthread); "
        f"{APPROVALS_PER_LEVEL} approvals per level, at most {LEVEL_SECONDS:.0f}s each; "
        f"raw UPDATE for {RAW_SECONDS:.0f}s per level; pool BENCH-{tag}"
    )
    connection.close()  # no idle connection of ours in the way of the measurements

    print("\nraw limit: UPDATE quotas_channel ... WHERE live_allocations < slots; COMMIT")
    raw: dict[int, Run] = {}
    for clients in LEVELS:
        raw[clients] = raw_level(db, world.raw_channel_id, clients)
        r = raw[clients]
        print(
            f"  {clients:>2} connections: {r.done} ops, {r.rate:8.0f}/s, "
            f"p50 {r.pct_ms(50):.2f} ms, p95 {r.pct_ms(95):.2f} ms; CPU {r.cpu_busy:.0%} busy"
        )

    http_runs: dict[int, Run] = {}
    print("\nportal: POST /api/v1/applications/{id}/approve/ through gunicorn")
    with gunicorn(db) as port:
        warm = approve_level(port, world.token, world.warmup, 32)
        print(f"  warm-up: {warm.done} approvals at 32 clients, statuses {dict(warm.statuses)}")
        for clients in LEVELS:
            ids = world.levels[clients]
            run = approve_level(port, world.token, ids, clients)
            http_runs[clients] = run
            allocated = allocations_count(ids)
            connection.close()
            print(
                f"  {clients:>2} clients: {run.done}/{len(ids)} approvals in {run.wall:.1f}s, "
                f"{run.rate:.1f}/s, p50 {run.pct_ms(50):.1f} ms, p95 {run.pct_ms(95):.1f} ms; "
                f"CPU {run.cpu_busy:.0%} busy; statuses {dict(run.statuses)}; "
                f"allocations in the table: {allocated}"
            )
            if run.sample_error:
                print(f"     first failure: {run.sample_error}")
        overflow = approve_level(port, world.token, world.overflow, OVERFLOW_CONCURRENCY)

    small = Channel.objects.get(pk=world.small_channel_id)
    statuses = Counter(
        Application.objects.filter(pk__in=world.overflow).values_list("status", flat=True)
    )
    print(
        f"\nover-demand: {len(world.overflow)} approvals at {OVERFLOW_CONCURRENCY} clients on a "
        f"channel of {small.slots} slots: {overflow.rate:.1f}/s, p50 {overflow.pct_ms(50):.1f} ms, "
        f"p95 {overflow.pct_ms(95):.1f} ms; HTTP {dict(overflow.statuses)}; applications "
        f"{dict(statuses)}; allocations {allocations_count(world.overflow)}, "
        f"channel counter {small.live_allocations}/{small.slots}"
    )

    anatomy = approve_anatomy(world.token, world.anatomy)
    channel = Channel.objects.get(pk=world.channel_id)
    main_ids = world.warmup + [i for ids in world.levels.values() for i in ids] + world.anatomy
    approved = Application.objects.filter(pk__in=main_ids, status="approved").count()
    print(
        f"\nlarge channel: {channel.live_allocations}/{channel.slots} slots taken; "
        f"{allocations_count(main_ids)} allocations and {approved} approved applications "
        f"for {len(main_ids)} approvals sent (warm-up and anatomy included)"
    )

    print(
        f"\none approve, in-process (median of {len(world.anatomy)}): {anatomy.queries} queries, "
        f"{anatomy.in_transaction} inside the transaction, {anatomy.channel_locked} from the "
        f"channel UPDATE to COMMIT; {anatomy.wall_ms:.1f} ms in all, {anatomy.db_ms:.1f} ms "
        f"waiting on the database; {anatomy.before_ms:.1f} ms before the transaction "
        f"(authentication, get_object), transaction open {anatomy.transaction_ms:.1f} ms, "
        f"{anatomy.after_ms:.1f} ms after COMMIT (response); channel row locked "
        f"{anatomy.locked_ms:.1f} ms (one client alone, so a floor)"
    )
    print("  (T = inside the transaction, L = the channel UPDATE that takes the row lock)")
    print("\n".join(anatomy.lines))

    print()
    header = (
        "concurrency | approvals/s | p50 ms | p95 ms | raw UPDATE/s | raw p50 | raw p95 "
        "| approvals/raw"
    )
    print(header)
    print("-" * len(header))
    for clients in LEVELS:
        h, r = http_runs[clients], raw[clients]
        ratio = h.rate / r.rate if r.rate else math.nan
        print(
            f"{clients:>11} | {h.rate:>11.1f} | {h.pct_ms(50):>6.1f} | {h.pct_ms(95):>6.1f} "
            f"| {r.rate:>12.0f} | {r.pct_ms(50):>7.2f} | {r.pct_ms(95):>7.2f} | {ratio:>13.3f}"
        )
    print(
        f"\nbench-allocation took {time.perf_counter() - bench_started:.0f}s; "
        f"load average now {load_average()}"
    )


if __name__ == "__main__":
    main()
