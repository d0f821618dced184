"""Settings (X-5): production refuses the dev-only command key that seals SMS codes (VER-2)."""

import base64

import pytest
from pydantic import SecretStr, ValidationError

from konto.verification.config import VerificationSettings


def test_prod_refuses_the_dev_command_key_VER_2() -> None:
    with pytest.raises(ValidationError, match="command_key"):
        VerificationSettings(environment="prod")
    real = SecretStr(base64.b64encode(b"k" * 32).decode())
    settings = VerificationSettings(environment="prod", command_key=real)
    assert settings.s3_bucket == "konto-verification"
    assert settings.purge_after_submission_hours == 72.0
