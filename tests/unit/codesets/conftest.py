"""Fixtures for the code-set tests: the default ICD-10-CM set, compiled once and then read from the cache."""

from __future__ import annotations

from datetime import date

import pytest

from medbill.codesets import store
from medbill.codesets.icd10cm import Icd10cm
from medbill.codesets.search import CodeSearch

FY2026 = date(2026, 5, 1)
FY2027 = date(2026, 11, 1)


@pytest.fixture(scope="session")
def icd() -> Icd10cm:
    return store.icd10cm()


@pytest.fixture(scope="session")
def search() -> CodeSearch:
    return store.icd10cm_search()
