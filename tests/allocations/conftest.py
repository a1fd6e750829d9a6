"""Fixtures for the allocations tests (helpers are in tests/support/)."""

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(fast_passwords):
    """Users are made by the dozen here; nobody logs in with a password."""
