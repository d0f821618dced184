"""What counts as a "location" for AUTH-4: the device the client keeps an id for, the client's
network, and the user-agent family. A login whose triple is unseen is a new location."""

import hashlib
import ipaddress
import re
from dataclasses import dataclass

# Order matters: Edge and Opera carry "Chrome", Chrome carries "Safari".
_FAMILIES = [
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Firefox", re.compile(r"\bFirefox/|\bFxiOS/")),
    ("Chrome", re.compile(r"\bChrome/|\bCriOS/")),
    ("Safari", re.compile(r"\bSafari/")),
    ("Konto App", re.compile(r"\bKontoApp/")),
    ("curl", re.compile(r"^curl/")),
    ("python", re.compile(r"^python-|^Python")),
]


def user_agent_family(user_agent: str) -> str:
    for family, pattern in _FAMILIES:
        if pattern.search(user_agent):
            return family
    return "Other"


def network_of(ip: str) -> str:
    """IPv4 /24 or IPv6 /48: a home or office network, not the single address a DHCP lease
    changes."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


@dataclass(frozen=True)
class Location:
    device_id: str
    network: str
    user_agent_family: str

    @property
    def fingerprint(self) -> str:
        raw = "\x1f".join((self.device_id, self.network, self.user_agent_family))
        return hashlib.sha256(raw.encode()).hexdigest()


def locate(device_id: str, ip: str, user_agent: str) -> Location:
    return Location(device_id, network_of(ip), user_agent_family(user_agent))
