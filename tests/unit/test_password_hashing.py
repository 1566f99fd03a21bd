"""Passwords and PINs are kept as argon2id hashes at argon2's default cost. (The test run swaps in
a cheap cost, tests/conftest.py; this checks the hashers production uses.)"""

from argon2 import PasswordHasher, Type

from tests.conftest import PRODUCTION


def test_production_hashes_keep_argon2s_defaults():
    default = PasswordHasher()
    for where, hasher in PRODUCTION.items():
        assert hasher.type is Type.ID, where
        assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (
            default.time_cost,
            default.memory_cost,
            default.parallelism,
        ), where
