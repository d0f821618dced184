"""`.env.example` documents every setting of every service (DESIGN: Running it)."""

from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from konto.auth.config import AuthSettings
from konto.billing.config import BillingSettings
from konto.notify.config import NotifySettings
from konto.orgs.config import OrgsSettings
from konto.verification.config import VerificationSettings

DOCUMENTED = {
    line.split("=", 1)[0]
    for line in (Path(__file__).parents[2] / ".env.example").read_text().splitlines()
    if line and not line.startswith("#")
}


@pytest.mark.parametrize(
    "settings",
    [AuthSettings, OrgsSettings, BillingSettings, VerificationSettings, NotifySettings],
)
def test_every_setting_is_documented(settings: type[BaseSettings]) -> None:
    prefix = settings.model_config["env_prefix"]
    expected = {f"{prefix}{name.upper()}" for name in settings.model_fields}
    assert expected - DOCUMENTED == set()
