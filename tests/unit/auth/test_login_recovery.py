"""Which account a forgotten-login-id request identifies, and how the id goes out (AUTH-8)."""

from konto.auth.domain.login_recovery import Candidate, identify

ANNA = Candidate("u-anna", "anna@private.ch")
BEN = Candidate("u-ben", None)


def test_one_account_with_the_mobile_gets_an_sms_AUTH_8() -> None:
    assert identify([BEN], None) == ("sms", BEN)


def test_several_accounts_need_the_recovery_email_AUTH_8() -> None:
    assert identify([ANNA, BEN], None) == ("ambiguous", None)
    assert identify([ANNA, BEN], "anna@private.ch") == ("email", ANNA)


def test_nothing_identified_is_a_verification_when_reachable_AUTH_8() -> None:
    assert identify([ANNA, BEN], "other@private.ch") == ("case", None)
    assert identify([], "someone@private.ch") == ("case", None)
    assert identify([], None) == ("nothing", None)
