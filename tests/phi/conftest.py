"""The real Presidio-based de-identifier, loaded once for the PHI tests."""

from __future__ import annotations

import pytest

from careexplain.phi.deidentifier import Deidentifier
from careexplain.settings import Settings


@pytest.fixture(scope="session")
def deidentifier() -> Deidentifier:
    return Deidentifier.from_settings(Settings())
