"""NOT-3: providers behind one interface, chosen in settings. Amazon SES and SNS cannot be
reached from here, so these tests check the requests against botocore's Stubber (the real
boto3 clients, with the HTTP call stubbed); the HTTP SMS gateway is also tested for real
against the SMS sink in tests/e2e/test_notify_sms.py."""

import json
from typing import Any

import boto3
import httpx
import pytest
from botocore.stub import ANY, Stubber

from konto.notify.channels import email_provider, push_provider, sms_provider
from konto.notify.channels.base import PermanentFailure, PushProvider
from konto.notify.channels.email import SmtpMailer
from konto.notify.channels.push import HttpPushGateway, LocalPush
from konto.notify.channels.ses import SesMailer
from konto.notify.channels.sms_http import HttpSmsGateway
from konto.notify.channels.sns import SnsSms
from konto.notify.config import NotifySettings
from konto.notify.rendering import Rendered

RENDERED = Rendered(subject="Hello", text="Hello Anna", html="<p>Hello Anna</p>")


def _client(service: str) -> object:
    return boto3.client(
        service,
        region_name="eu-central-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def test_settings_choose_the_provider_NOT_3() -> None:
    assert isinstance(email_provider(NotifySettings()), SmtpMailer)
    assert isinstance(sms_provider(NotifySettings()), HttpSmsGateway)
    assert isinstance(email_provider(NotifySettings(email_provider="ses")), SesMailer)
    assert isinstance(sms_provider(NotifySettings(sms_provider="sns")), SnsSms)
    assert isinstance(push_provider(NotifySettings()), HttpPushGateway)
    assert isinstance(push_provider(NotifySettings(push_provider="local")), LocalPush)


async def test_ses_sends_the_raw_mime_message_NOT_3() -> None:
    client = _client("ses")
    with Stubber(client) as stub:
        stub.add_response(
            "send_raw_email",
            {"MessageId": "ses-1"},
            {"Destinations": ["anna@example.ch"], "RawMessage": {"Data": ANY}},
        )
        mailer = SesMailer(NotifySettings(email_provider="ses"), client=client)
        message_id = await mailer.send(
            to="anna@example.ch", rendered=RENDERED, delivery_id="e:u:email", headers={}
        )
        stub.assert_no_pending_responses()
    assert message_id == "ses-1"


async def test_ses_rejection_is_permanent_NOT_3() -> None:
    client = _client("ses")
    with Stubber(client) as stub:
        stub.add_client_error("send_raw_email", "MessageRejected", "Email address is not verified")
        mailer = SesMailer(NotifySettings(email_provider="ses"), client=client)
        with pytest.raises(PermanentFailure):
            await mailer.send(
                to="anna@example.ch", rendered=RENDERED, delivery_id="e:u:email", headers={}
            )


async def test_sns_publishes_a_transactional_sms_NOT_3() -> None:
    client = _client("sns")
    with Stubber(client) as stub:
        stub.add_response(
            "publish",
            {"MessageId": "sns-1"},
            {
                "PhoneNumber": "+41791234567",
                "Message": "Konto: 123456",
                "MessageAttributes": {
                    "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": "Konto"},
                    "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"},
                },
            },
        )
        sms = SnsSms(NotifySettings(sms_provider="sns"), client=client)
        assert await sms.send(to="+41791234567", text="Konto: 123456", delivery_id="c") == "sns-1"


async def test_sns_throttling_stays_transient_NOT_3() -> None:
    client = _client("sns")
    with Stubber(client) as stub:
        stub.add_client_error("publish", "Throttling", "slow down")
        sms = SnsSms(NotifySettings(sms_provider="sns"), client=client)
        with pytest.raises(Exception) as raised:  # noqa: PT011 any error but a permanent one
            await sms.send(to="+41791234567", text="x", delivery_id="c")
        assert not isinstance(raised.value, PermanentFailure)


def _gateway(status: int, seen: list[httpx.Request]) -> HttpSmsGateway:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json={"id": "m-1"})

    settings = NotifySettings(sms_gateway_url="http://gw.test/", sms_gateway_token="s3cret")
    return HttpSmsGateway(settings, http=httpx.AsyncClient(transport=httpx.MockTransport(answer)))


async def test_http_gateway_posts_with_token_and_idempotency_key_NOT_3() -> None:
    seen: list[httpx.Request] = []
    assert await _gateway(201, seen).send(to="+41791234567", text="hi", delivery_id="d1") == "m-1"
    [request] = seen
    assert str(request.url) == "http://gw.test/v1/messages"
    assert request.headers["authorization"] == "Bearer s3cret"
    assert request.headers["idempotency-key"] == "d1"
    assert json.loads(request.content) == {"to": "+41791234567", "text": "hi", "sender": "Konto"}


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (429, False), (503, False)])
async def test_http_gateway_failures_are_classified_NOT_4(status: int, permanent: bool) -> None:
    with pytest.raises(Exception) as raised:  # noqa: PT011
        await _gateway(status, []).send(to="+41791234567", text="hi", delivery_id="d1")
    assert isinstance(raised.value, PermanentFailure) is permanent


def _push_gateway(handler: Any) -> HttpPushGateway:
    settings = NotifySettings(push_gateway_url="https://push.test/", push_gateway_token="t0k")
    return HttpPushGateway(settings, http=httpx.AsyncClient(transport=httpx.MockTransport(handler)))


async def test_push_gateway_posts_one_notification_with_idempotency_key_NOT_3() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json={"id": "push-1"})

    gateway = _push_gateway(handler)
    message_id = await gateway.send(
        device_token="dev-1",
        title="Sign-in request",
        body="Approve the sign-in on Konto?",
        data={"challenge": "c1"},
        delivery_id="e:u:push",
    )
    [request] = seen
    assert message_id == "push-1"
    assert str(request.url) == "https://push.test/v1/push"
    assert request.headers["authorization"] == "Bearer t0k"
    assert request.headers["idempotency-key"] == "e:u:push"
    assert json.loads(request.content) == {
        "token": "dev-1",
        "title": "Sign-in request",
        "body": "Approve the sign-in on Konto?",
        "data": {"challenge": "c1"},
    }


@pytest.mark.parametrize(
    ("status", "permanent"), [(410, True), (400, True), (429, False), (503, False)]
)
async def test_push_gateway_refusal_is_permanent_outage_is_transient_NOT_3_NOT_4(
    status: int, permanent: bool
) -> None:
    gateway = _push_gateway(lambda request: httpx.Response(status, json={}))
    with pytest.raises(PermanentFailure if permanent else httpx.HTTPStatusError):
        await gateway.send(device_token="d", title="t", body="b", data={}, delivery_id="x")


async def test_local_push_double_records_once_and_refuses_gone_devices_NOT_3() -> None:
    push: PushProvider = LocalPush(unregistered={"gone"})
    for _ in range(2):
        await push.send(device_token="dev-1", title="t", body="b", data={}, delivery_id="d1")
    assert isinstance(push, LocalPush)
    assert [p.device_token for p in push.sent] == ["dev-1"]  # one per delivery id
    with pytest.raises(PermanentFailure):
        await push.send(device_token="gone", title="t", body="b", data={}, delivery_id="d2")
    assert isinstance(push_provider(NotifySettings()), HttpPushGateway)
