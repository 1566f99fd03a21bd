"""What the whole test run shares: argon2 at its cheapest cost, and the stored examples.

Production hashes passwords and PINs with argon2's defaults (three passes over 64 MiB), about
0.3 s a hash or a check on a two-core machine; the suite makes hundreds (every organiser
created, PIN issued and sign-in tried, the fuzzer's sign-ins). In tests the same argon2 runs
with one pass over 8 KiB: sign-in still hashes and verifies for real, every hash carries its
own parameters, and `test_production_hashes_keep_argon2s_defaults` checks what production uses.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

import scoring.store.users
import web.security
from scoring.kept import Kept
from tests.integration.stored_examples import StoredExample
from tests.integration.stored_examples import build as build_example

# The app shared by the API tests configures logging once, onto the stream pytest captured for
# the test that built it; later tests' log lines to that closed stream are dropped quietly
# instead of printing "--- Logging error ---" tracebacks into the run's output.
logging.raiseExceptions = False

CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PRODUCTION = {"users": scoring.store.users.HASHER, "security": web.security.HASHER}


@pytest.fixture(autouse=True)
def empty_kept_answers() -> None:
    """Each test starts with no answer kept from another test's store (scoring/kept.py)."""
    Kept.clear_all()


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scoring.store.users, "HASHER", CHEAP)
        patch.setattr(web.security, "HASHER", CHEAP)
        yield


@pytest.fixture(scope="session")
def stored_cement(tmp_path_factory: pytest.TempPathFactory) -> StoredExample:
    """The cement example stored with generated marks, every round locked: built once per run
    (about 10 s) for every test that reads it; tests that change it work on a copy."""
    return build_example("cement", tmp_path_factory.mktemp("cement"))


@pytest.fixture(scope="session")
def stored_safety(tmp_path_factory: pytest.TempPathFactory) -> StoredExample:
    """The power-safety example stored with generated marks, every round locked."""
    return build_example("power_safety", tmp_path_factory.mktemp("safety"))
