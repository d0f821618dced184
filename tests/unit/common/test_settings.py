"""Settings refuse dev-only secrets in production (X-3)."""

import pytest
from pydantic import SecretStr, ValidationError

from konto.common.settings import ServiceSettings


class _WithSecret(ServiceSettings):
    api_key: SecretStr = SecretStr("changeme")

    def secrets_to_check(self) -> dict[str, SecretStr]:
        return {"api_key": self.api_key}


def test_prod_refuses_the_dev_secret_X_3() -> None:
    with pytest.raises(ValidationError, match="api_key"):
        _WithSecret(environment="prod")


def test_prod_accepts_a_real_secret_and_dev_keeps_the_default_X_3() -> None:
    assert _WithSecret(environment="prod", api_key=SecretStr("s3cr3t-from-vault")).api_key
    assert _WithSecret(environment="dev").api_key.get_secret_value() == "changeme"


def test_settings_read_the_service_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    from konto.auth.config import AuthSettings

    monkeypatch.setenv("KONTO_AUTH_HTTP_PORT", "9101")
    monkeypatch.setenv("KONTO_NOTIFY_HTTP_PORT", "9105")
    assert AuthSettings().http_port == 9101
