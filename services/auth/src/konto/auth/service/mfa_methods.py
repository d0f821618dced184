"""The second-factor methods (AUTH-9), which of them a person has, and the errors every factor
shares."""

from dataclasses import dataclass
from typing import Any, Literal

Method = Literal["totp", "sms", "push", "device_totp", "backup_code"]
ORDER: list[Method] = ["totp", "sms", "push", "device_totp", "backup_code"]


class InvalidCode(Exception):
    """The code does not confirm the method being turned on."""


class MfaConflict(Exception):
    """The request does not fit the current state (e.g. enrol while TOTP is on)."""


@dataclass(frozen=True)
class Factors:
    """A person's `second_factors` document and whether they have an authenticator device."""

    doc: dict[str, Any]
    devices: bool

    @property
    def methods(self) -> list[Method]:
        present = {
            "totp": bool(self.doc.get("totp")),
            "sms": bool(self.doc.get("sms")),
            "push": self.devices,
            "device_totp": self.devices,
        }
        found: list[Method] = [m for m in ORDER if present.get(m)]
        return [*found, "backup_code"] if found else []
