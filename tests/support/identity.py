"""Register and log in people through the real auth service, for tests of any service."""

import uuid
from dataclasses import dataclass

import httpx

from tests.support.processes import ServiceProcess

PASSWORD = "correct horse battery staple"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


@dataclass(frozen=True)
class Person:
    user_id: str
    email: str
    access_token: str
    refresh_token: str
    session_id: str
    device_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.access_token}"}


def register(
    auth: ServiceProcess, email: str, *, locale: str = "en", name: str = "Anna Muster"
) -> dict[str, str]:
    response = httpx.post(
        f"{auth.url}/v1/users",
        json={
            "email": email,
            "password": PASSWORD,
            "name": name,
            "mobile": "+41 79 123 45 67",
            "locale": locale,
        },
    )
    assert response.status_code == 201, response.text
    user: dict[str, str] = response.json()
    return user


def login(auth: ServiceProcess, email: str, device_id: str | None = None) -> dict[str, str]:
    response = httpx.post(
        f"{auth.url}/v1/sessions",
        json={"email": email, "password": PASSWORD, "device_id": device_id},
        headers={"user-agent": FIREFOX},
    )
    assert response.status_code == 201, response.text
    tokens: dict[str, str] = response.json()
    return tokens


def new_person(auth: ServiceProcess, *, locale: str = "en", name: str = "Anna Muster") -> Person:
    email = f"p.{uuid.uuid4().hex[:10]}@example.ch"
    user = register(auth, email, locale=locale, name=name)
    tokens = login(auth, email)
    return Person(
        user_id=user["id"],
        email=user["email"],
        access_token=tokens["access_token"],
        refresh_token=tokens["refresh_token"],
        session_id=tokens["session_id"],
        device_id=tokens["device_id"],
    )
