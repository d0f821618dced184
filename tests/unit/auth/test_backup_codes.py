"""Backup codes (AUTH-9): ten distinct codes, stored salted, matched loosely as typed."""

from konto.auth.domain.backup_codes import as_text, find, generate, seal


def test_ten_distinct_readable_codes_AUTH_9() -> None:
    codes = generate(10)
    assert len(set(codes)) == 10
    assert all(len(c) == 11 and c[5] == "-" for c in codes)


def test_stored_form_hides_the_code_and_salts_each_AUTH_9() -> None:
    code = generate(1)[0]
    a, b = seal(code), seal(code)
    assert code.replace("-", "") not in a.hash
    assert a.hash != b.hash  # per-code salt


def test_matching_ignores_case_dashes_and_spaces_AUTH_9() -> None:
    codes = generate(3)
    stored = [seal(c) for c in codes]
    typed = codes[1].upper().replace("-", " ")
    assert find(typed, stored) == stored[1]
    assert find("zzzzz-zzzzz", stored) is None


def test_text_download_lists_every_code_AUTH_9() -> None:
    codes = generate(10)
    text = as_text(codes, "anna@example.ch")
    assert "anna@example.ch" in text
    assert all(c in text.splitlines() for c in codes)
