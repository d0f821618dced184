"""SMS second-factor codes (AUTH-9): six digits, stored only salted and hashed, compared after
normalising what the person typed."""

from konto.auth.domain.sms_codes import matches, new_code, seal


def test_codes_have_six_digits_and_vary_AUTH_9() -> None:
    codes = {new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 150


def test_a_sealed_code_matches_only_itself_AUTH_9() -> None:
    sealed = seal("042917")
    assert "042917" not in sealed.hash
    assert matches("042917", sealed)
    assert matches(" 042 917 ", sealed)  # typed with spaces
    assert not matches("042918", sealed)
    assert not matches("", sealed)


def test_the_same_code_sealed_twice_gives_different_hashes_AUTH_9() -> None:
    first, second = seal("123456"), seal("123456")
    assert first.hash != second.hash  # a resent code's hash tells nothing about the last one
    assert matches("123456", first)
    assert matches("123456", second)
