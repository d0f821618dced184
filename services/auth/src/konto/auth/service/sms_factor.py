"""SMS codes as a second factor (AUTH-9): a 6-digit code goes to the profile's mobile as a
sealed `SendSmsCodeV1` command (purpose `login_code`) for notify; it is stored only as a salted
hash and checked in constant time, with a short TTL, a few guesses and a few sends per scope."""

from datetime import datetime, timedelta

from konto.auth.config import AuthSettings
from konto.auth.domain import sms_codes
from konto.auth.store.sms_codes import SmsCodes
from konto.auth.store.users import Users
from konto.common.crypto import SecretBox
from konto.common.events import SendSmsCode, SendSmsCodeV1, utcnow
from konto.common.outbox import Outbox


class NoMobile(Exception):
    """The profile has no mobile number to send a code to."""


class TooManyCodes(Exception):
    """This login (or the settings page, within the window) was sent enough codes."""


class SmsFactor:
    def __init__(
        self,
        *,
        settings: AuthSettings,
        outbox: Outbox,
        codes: SmsCodes,
        users: Users,
        command_box: SecretBox,
    ) -> None:
        self.settings = settings
        self.outbox = outbox
        self.codes = codes
        self.users = users
        self.command_box = command_box

    async def send(self, user_id: str, scope: str, purge_at: datetime | None = None) -> int:
        """Send a new code for `scope` (it replaces the previous one); returns its lifetime in
        seconds. Raises NoMobile or TooManyCodes."""
        user = await self.users.by_id(user_id)
        if user is None or not user.get("mobile"):
            raise NoMobile
        now = utcnow()
        ttl = self.settings.sms_code_ttl_seconds
        expires_at = now + timedelta(seconds=ttl)
        code = sms_codes.new_code()
        window = timedelta(seconds=self.settings.sms_code_send_window_seconds)
        issued = await self.codes.issue(
            scope,
            user_id,
            sms_codes.seal(code),
            now=now,
            expires_at=expires_at,
            purge_at=purge_at or now + window,
            max_sends=self.settings.sms_code_max_sends,
        )
        if not issued:
            raise TooManyCodes
        async with self.outbox.unit_of_work() as uow:
            uow.emit(
                SendSmsCodeV1(
                    subject=user_id,
                    source="konto/auth",
                    data=SendSmsCode(
                        purpose="login_code",
                        mobile=user["mobile"],
                        locale=user["locale"],
                        # Sealed for notify under the shared key, the subject as associated
                        # data: the code is never plain in Kafka.
                        sealed_code=self.command_box.seal(code.encode(), user_id.encode()),
                        expires_at=expires_at,
                        user_id=user_id,
                    ),
                )
            )
        return ttl

    async def check(self, scope: str, code: str) -> bool:
        """Spend one guess on the scope's code; True (once) when it matches."""
        now = utcnow()
        doc = await self.codes.take_attempt(scope, now, self.settings.sms_code_max_attempts)
        if doc is None:
            return False
        if not sms_codes.matches(code, sms_codes.SealedCode(salt=doc["salt"], hash=doc["hash"])):
            return False
        return await self.codes.use(scope, doc["salt"], now)
