"""What the tests' own setup promises: the factories' JSON views are what the API
answers, and passwords are hashed by the production code at a test cost."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.services import auth
from tests.checkin_setup import make_setup
from tests.conftest import PASSWORD


def test_the_setup_reads_as_the_api_answers(api: TestClient, db: Session) -> None:
    s = make_setup(api, db, people=2)
    assert api.get(f"/api/trainings/{s.tid}").json() == s.training
    for batch in s.batches:
        assert api.get(f"/api/batches/{batch['id']}").json() == batch
    for person in s.people:
        # created_at as POST answers it (an aware time, "Z"); SQLite hands GET a naive one.
        read = api.get(f"/api/registrations/{person['id']}").json()
        assert read.pop("created_at")[:19] == person["created_at"][:19]
        assert read == {k: v for k, v in person.items() if k != "created_at"}


def test_tests_hash_with_argon2id_at_its_lowest_cost() -> None:
    hashed = auth.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and "m=1024,t=1,p=1" in hashed


@pytest.mark.production_hashing
def test_production_hashes_cost_argon2s_recommended_parameters() -> None:
    hashed = auth.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and "m=65536,t=3,p=4" in hashed
