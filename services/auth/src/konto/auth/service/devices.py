"""Authenticator devices (AUTH-9): enrolment by QR code, requests signed with the device's
Ed25519 key, push approval of a waiting login, and the device's own TOTP for when it is
offline. A push token lets anyone push to the device, so it is sealed at rest and sealed again
for notify in the `SendPushV1` command."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from konto.auth.config import AuthSettings
from konto.auth.domain import approvals, device_enrolment, device_keys, totp
from konto.auth.domain.approvals import Decision, Outcome
from konto.auth.service.tokens import Client
from konto.auth.store.devices import Devices
from konto.auth.store.push_approvals import PushApprovals
from konto.auth.store.users import Users
from konto.common.crypto import SecretBox
from konto.common.events import (
    DeviceEnrolled,
    DeviceEnrolledV1,
    DeviceRemoved,
    DeviceRemovedV1,
    SendPush,
    SendPushV1,
    utcnow,
    uuid7,
)
from konto.common.outbox import UnitOfWork


class InvalidEnrolment(Exception):
    """Unknown, used or expired enrolment token."""


class DeviceUnauthorized(Exception):
    """Unknown device, stale timestamp or a signature that does not verify: one answer for all."""


class ApprovalNotFound(Exception):
    """Not this device's user's, or no longer pending."""


@dataclass(frozen=True)
class EnrolmentStart:
    enrolment_token: str
    enrol_uri: str
    qr_svg: str
    expires_in: int


@dataclass(frozen=True)
class NewDevice:
    user_id: str
    device_id: str
    name: str
    totp_secret: str
    otpauth_uri: str
    push: bool


@dataclass(frozen=True)
class DeviceView:
    id: str
    name: str
    push: bool
    created_at: datetime


@dataclass(frozen=True)
class ApprovalView:
    approval_id: str
    ip: str
    user_agent: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class PushStarted:
    approval_id: str
    expires_in: int
    pushed: int


class DeviceService:
    def __init__(
        self,
        *,
        settings: AuthSettings,
        devices: Devices,
        approvals: PushApprovals,
        users: Users,
        box: SecretBox,
        command_box: SecretBox,
    ) -> None:
        self.settings = settings
        self.devices = devices
        self.approvals = approvals
        self.users = users
        self.box = box
        self.command_box = command_box

    async def start_enrolment(self, user_id: str, account: str) -> EnrolmentStart:
        token = device_enrolment.new_token()
        now = utcnow()
        ttl = self.settings.device_enrolment_ttl_seconds
        await self.devices.start_enrolment(
            {
                "_id": device_enrolment.hash_token(token),
                "user_id": user_id,
                "created_at": now,
                "expires_at": now + timedelta(seconds=ttl),
                "used_at": None,
            }
        )
        uri = device_enrolment.enrol_uri(
            token, self.settings.jwt_issuer, account, self.settings.totp_issuer
        )
        return EnrolmentStart(
            enrolment_token=token, enrol_uri=uri, qr_svg=totp.qr_svg(uri), expires_in=ttl
        )

    async def enrol(
        self, token: str, public_key: str, name: str, push_token: str | None, uow: UnitOfWork
    ) -> NewDevice:
        """Raises InvalidKey (before spending the token) or InvalidEnrolment."""
        key = device_keys.parse_public_key(public_key)
        now = utcnow()
        enrolment = await self.devices.take_enrolment(
            device_enrolment.hash_token(token), now, uow.session
        )
        if enrolment is None:
            raise InvalidEnrolment
        user_id = enrolment["user_id"]
        user = await self.users.by_id(user_id)
        secret = totp.new_secret()
        device_id = str(uuid7())
        await self.devices.insert(
            {
                "_id": device_id,
                "user_id": user_id,
                "name": name,
                "public_key": key,
                "push_token": self._seal(user_id, push_token) if push_token else None,
                "totp_secret": self._seal(user_id, secret),
                "last_step": 0,
                "created_at": now,
            },
            uow.session,
        )
        uow.emit(
            DeviceEnrolledV1(
                subject=user_id,
                data=DeviceEnrolled(
                    user_id=user_id, device_id=device_id, name=name, push=bool(push_token)
                ),
            )
        )
        account = user["email"] if user else user_id
        return NewDevice(
            user_id=user_id,
            device_id=device_id,
            name=name,
            totp_secret=secret,
            otpauth_uri=totp.provisioning_uri(secret, account, self.settings.totp_issuer),
            push=bool(push_token),
        )

    async def of_user(self, user_id: str) -> list[DeviceView]:
        return [
            DeviceView(
                id=d["_id"],
                name=d["name"],
                push=bool(d.get("push_token")),
                created_at=d["created_at"],
            )
            for d in await self.devices.of_user(user_id)
        ]

    async def has_any(self, user_id: str) -> bool:
        return bool(await self.devices.of_user(user_id))

    async def remove(self, user_id: str, device_id: str, uow: UnitOfWork) -> dict[str, Any] | None:
        doc = await self.devices.remove(user_id, device_id, uow.session)
        if doc is not None:
            uow.emit(_removed(doc, "removed"))
        return doc

    async def remove_all(self, user_id: str, uow: UnitOfWork) -> int:
        docs = await self.devices.remove_all(user_id, uow.session)
        for doc in docs:
            uow.emit(_removed(doc, "mfa_deactivation"))
        return len(docs)

    async def use_totp(self, user_id: str, code: str) -> bool:
        """The offline path: a code of any of the user's devices, each step once per device."""
        now = utcnow()
        for doc in await self.devices.of_user(user_id):
            step = totp.matching_step(self._open(user_id, doc["totp_secret"]), code, now)
            if step is not None and await self.devices.use_totp_step(doc["_id"], step):
                return True
        return False

    async def authenticate(
        self, device_id: str, method: str, path: str, timestamp: str, signature: str
    ) -> dict[str, Any]:
        """The device whose key signed `method path timestamp` within the allowed age."""
        now = utcnow()
        max_age = self.settings.device_signature_max_age_seconds
        if not device_keys.fresh(timestamp, now, max_age):
            raise DeviceUnauthorized
        device = await self.devices.get(device_id)
        message = device_keys.request_message(method, path, timestamp)
        if device is None or not device_keys.verify(device["public_key"], message, signature):
            raise DeviceUnauthorized
        return device

    async def pending(self, device: dict[str, Any]) -> list[ApprovalView]:
        docs = await self.approvals.pending_of(device["user_id"], utcnow())
        return [
            ApprovalView(
                approval_id=d["_id"],
                ip=d["ip"],
                user_agent=d["user_agent"],
                created_at=d["created_at"],
                expires_at=d["expires_at"],
            )
            for d in docs
        ]

    async def decide(
        self, device: dict[str, Any], approval_id: str, decision: Decision, signature: str
    ) -> None:
        """Raises DeviceUnauthorized (signature) or ApprovalNotFound."""
        message = device_keys.decision_message(approval_id, decision)
        if not device_keys.verify(device["public_key"], message, signature):
            raise DeviceUnauthorized
        status = approvals.status_after(decision)
        decided = await self.approvals.decide(
            approval_id, device["user_id"], status, device["_id"], utcnow()
        )
        if not decided:
            raise ApprovalNotFound

    async def ask(self, challenge: dict[str, Any], client: Client, uow: UnitOfWork) -> PushStarted:
        """The login's approval, new or already asked for; a new one is pushed to every device
        that gave a push token (the others see it when they poll)."""
        now = utcnow()
        user_id = challenge["user_id"]
        expires_at = min(
            now + timedelta(seconds=self.settings.push_approval_ttl_seconds),
            challenge["expires_at"],
        )
        approval, new = await self.approvals.start(
            {
                "_id": str(uuid7()),
                "challenge_id": challenge["_id"],
                "user_id": user_id,
                "ip": client.ip,
                "user_agent": client.user_agent,
                "status": "pending",
                "created_at": now,
                "expires_at": expires_at,
            }
        )
        pushed = 0
        if new:
            user = await self.users.by_id(user_id)
            for device in await self.devices.of_user(user_id):
                if device.get("push_token"):
                    uow.emit(self._push(device, approval, user["locale"] if user else "en"))
                    pushed += 1
        expires_in = max(0, int((approval["expires_at"] - now).total_seconds()))
        return PushStarted(approval_id=approval["_id"], expires_in=expires_in, pushed=pushed)

    async def outcome(self, challenge_id: str) -> Outcome | None:
        """None when no device was asked for this login yet."""
        approval = await self.approvals.of_challenge(challenge_id)
        if approval is None:
            return None
        return approvals.outcome(approval["status"], approval["expires_at"], utcnow())

    def _push(self, device: dict[str, Any], approval: dict[str, Any], locale: str) -> SendPushV1:
        user_id = device["user_id"]
        token = self._open(user_id, device["push_token"])
        return SendPushV1(
            subject=user_id,
            source="konto/auth",
            data=SendPush(
                user_id=user_id,
                device_id=device["_id"],
                sealed_push_token=self.command_box.seal(token.encode(), user_id.encode()),
                template="login_approval",
                locale=locale,
                approval_id=approval["_id"],
                ip=approval["ip"],
                user_agent=approval["user_agent"],
                expires_at=approval["expires_at"],
            ),
        )

    def _seal(self, user_id: str, secret: str) -> str:
        return self.box.seal(secret.encode(), user_id.encode())

    def _open(self, user_id: str, sealed: str) -> str:
        return self.box.open(sealed, user_id.encode()).decode()


def _removed(
    doc: dict[str, Any], reason: Literal["removed", "mfa_deactivation"]
) -> DeviceRemovedV1:
    return DeviceRemovedV1(
        subject=doc["user_id"],
        data=DeviceRemoved(
            user_id=doc["user_id"],
            device_id=doc["_id"],
            name=doc["name"],
            reason=reason,
        ),
    )
