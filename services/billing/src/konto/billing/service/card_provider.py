"""Which card adapter charges cards, from settings (BIL-4)."""

from konto.billing.config import BillingSettings
from konto.billing.service.card import CardProcessor, TestCardProcessor
from konto.billing.service.stripe_card import StripeCardProcessor


def card_processor(settings: BillingSettings) -> CardProcessor:
    if settings.card_provider == "stripe":
        return StripeCardProcessor(
            api_url=settings.stripe_api_url,
            secret_key=settings.stripe_secret_key,
            timeout_seconds=settings.stripe_timeout_seconds,
        )
    return TestCardProcessor()
