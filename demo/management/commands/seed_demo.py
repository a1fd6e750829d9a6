"""``manage.py seed_demo``: the demo data and users of core.demo, idempotently."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.seed import DEFAULT_PASSWORD, USERS, demo_counts, seed_demo


class Command(BaseCommand):
    help = (
        "Create the demo institutions, agreements, quota pools, users and patients' cases, "
        "or bring them up to date. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            help=(
                "Password of the demo users; also resets existing demo users to it. "
                f"Without it, new users get {DEFAULT_PASSWORD!r} and existing ones keep theirs."
            ),
        )

    def handle(self, *args: Any, password: str | None = None, **options: Any) -> None:
        if password is not None and not password:
            raise CommandError("--password must not be empty.")
        try:
            report = seed_demo(password=password)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{number} {name}" for name, number in demo_counts().items())
        self.stdout.write(f"Demo data: {counts}.")
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        if report.changed:
            self.stdout.write(
                f"This run created {report.created.total()} and updated "
                f"{report.updated.total()} rows."
            )
        else:
            self.stdout.write("Already up to date: nothing changed.")
        self.stdout.write(
            self.style.SUCCESS("Demo users: " + ", ".join(user.username for user in USERS))
        )
