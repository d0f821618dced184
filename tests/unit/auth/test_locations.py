"""AUTH-4: a location is device + network + user-agent family."""

import pytest

from konto.auth.domain.locations import locate, network_of, user_agent_family


@pytest.mark.parametrize(
    ("ua", "family"),
    [
        ("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "Firefox"),
        ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/130.0 Safari/537.36", "Chrome"),
        (
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/130.0 Safari/537.36 Edg/130.0",
            "Edge",
        ),
        ("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15", "Safari"),
        ("curl/8.5.0", "curl"),
        ("", "Other"),
    ],
)
def test_user_agent_family_AUTH_4(ua: str, family: str) -> None:
    assert user_agent_family(ua) == family


def test_network_is_a_prefix_not_the_address_AUTH_4() -> None:
    assert network_of("203.0.113.77") == "203.0.113.0/24"
    assert network_of("2001:db8:1:2::5") == "2001:db8:1::/48"
    assert network_of("not-an-ip") == "unknown"


def test_same_device_network_and_browser_is_the_same_location_AUTH_4() -> None:
    firefox = "Mozilla/5.0 Firefox/140.0"
    home = locate("dev-1", "203.0.113.7", firefox)
    assert (
        home.fingerprint == locate("dev-1", "203.0.113.99", "Mozilla/5.0 Firefox/141.0").fingerprint
    )
    assert home.fingerprint != locate("dev-2", "203.0.113.7", firefox).fingerprint
    assert home.fingerprint != locate("dev-1", "198.51.100.7", firefox).fingerprint
    assert home.fingerprint != locate("dev-1", "203.0.113.7", "Chrome/130.0").fingerprint
