"""Fixtures of the web tests: a data dir per test, a month of synth exports, two companies."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("django")

from django.contrib.auth.models import User

from huikuan.synth import SynthFiles, generate_files
from huikuan.web.models import BankAccount, Company, Membership, Store
from huikuan.web.services import setup

PASSWORD = "correct horse battery 42"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None,
                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    """On SQLite the test database is a file, as the app's is: Django's default in-memory test
    database shares one cache between connections, where a second writer fails at once ("database
    table is locked") instead of waiting its turn, so threads racing each other (test_races)
    would test that instead of the app; and a worker started as a process of its own
    (test_worker) opens the same database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    """Every test writes its company folders under its own temporary directory (and hashes
    passwords with a fast hasher: the real one is tested in test_auth)."""
    settings.DATA_DIR = tmp_path / "data"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.DATA_DIR


@pytest.fixture(scope="session")
def month(tmp_path_factory: pytest.TempPathFactory) -> SynthFiles:
    """A small simulated Tmall month: orders, Alipay statements (with an overlapping re-export), CMB."""
    return generate_files(tmp_path_factory.mktemp("synth"), orders=120, seed=12)


@dataclass
class Shop:
    company: Company
    store: Store
    bank: BankAccount
    user: User


def make_shop(name: str, username: str, role: str = "accountant") -> Shop:
    admin = User.objects.create_user(f"{username}-admin", password=PASSWORD)
    company = setup.create_company(name, admin=admin)
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, company=company, role=role)
    store = setup.add_store(company, name=f"{name} 天猫旗舰店", platform="tmall",
                            wallet_account="2088000000000001")
    bank = setup.add_bank_account(company, bank="招商银行", number="6214830000001234")
    return Shop(company, store, bank, user)


@pytest.fixture
def shop(db) -> Shop:
    return make_shop("暖冬羊毛", "alice")


@pytest.fixture
def other_shop(db) -> Shop:
    return make_shop("另一家公司", "bob")
