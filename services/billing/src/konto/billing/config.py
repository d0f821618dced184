from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from konto.billing.domain.fraud import FraudRules
from konto.billing.domain.proforma_pdf import BankAccounts, Creditor, check_accounts
from konto.billing.domain.references import is_qr_iban
from konto.common.s3 import S3Settings
from konto.common.settings import ServiceSettings


class BillingSettings(ServiceSettings, S3Settings):
    model_config = SettingsConfigDict(env_prefix="KONTO_BILLING_", extra="ignore", frozen=True)

    http_port: int = 8003
    mongo_db: str = "konto_billing"
    # Invoice PDFs (BIL-5) live here; clients download them through presigned URLs.
    s3_bucket: str = "konto-billing"
    invoice_url_seconds: int = 300
    # Bank transfer (BIL-4): the account holder the pro-formas name; CHF is paid to the
    # QR-IBAN (QR-bill with a QR reference), EUR to the IBAN with an ISO 11649 RF reference.
    bank_creditor_name: str = "Konto Hosting AG"
    bank_creditor_street: str = "Musterstrasse 1"
    bank_creditor_postcode: str = "8000"
    bank_creditor_city: str = "Zuerich"
    bank_creditor_country: str = "CH"
    bank_qr_iban: str = "CH4431999123000889012"
    bank_iban: str = "CH9300762011623852957"
    # Which adapter charges cards (BIL-4): `stripe` (PaymentIntents and refunds over its HTTP
    # API) or `test`, the local double: token `tok_visa` is charged, `tok_declined` declined.
    # The double is refused in prod, and so is Stripe with an empty (dev) secret key.
    card_provider: Literal["test", "stripe"] = "test"
    stripe_api_url: str = "https://api.stripe.com"
    stripe_secret_key: SecretStr = SecretStr("")
    stripe_timeout_seconds: float = 20.0
    # Where the links billing mails (cancellation confirmation, BIL-7) lead, and how long
    # such a link works.
    console_url: str = "http://localhost:3000"
    cancellation_link_ttl_seconds: int = 7 * 86_400
    # The fraud hold's rules (BIL-6, see domain/fraud.py): an organization's first order above
    # this total (minor units, any currency) is held, and so is an order when the organization
    # checked out this many in the hour before. Held orders are cancelled and refunded after
    # `fraud_unlock_days`; the job looking for them runs every `fraud_expiry_interval_seconds`.
    fraud_new_org_max_total_minor: int = 50_000
    fraud_max_orders_per_hour: int = 5
    fraud_unlock_days: int = 10
    fraud_expiry_interval_seconds: float = 3600.0
    # BIL-6 `country_mismatch`: a checkout from another country than the billing address's is
    # held. Billing knows the client's country only from the header an edge proxy (e.g.
    # Cloudflare) sets; a client can forge it unless the proxy is the only way in, so the rule
    # is off until `client_country_trusted` says so.
    fraud_country_mismatch: bool = True
    client_country_header: str = "CF-IPCountry"
    client_country_trusted: bool = False
    # BIL-7: how often the job retiring cancelled products at their end date looks for them.
    retirement_interval_seconds: float = 3600.0
    # BIL-4: a pro-forma unpaid this many days after it was issued lapses (its order is
    # cancelled); the job looking for such pro-formas runs every so many seconds.
    proforma_payment_days: int = Field(default=30, ge=1)
    proforma_lapse_interval_seconds: float = 3600.0

    def secrets_to_check(self) -> dict[str, SecretStr]:
        if self.card_provider == "stripe":
            return {"stripe_secret_key": self.stripe_secret_key}
        return {}

    @model_validator(mode="after")
    def _bank_accounts(self) -> "BillingSettings":
        if not is_qr_iban(self.bank_qr_iban):
            raise ValueError("bank_qr_iban must be a QR-IBAN (institution id 30000-31999)")
        check_accounts(bank_accounts(self))
        return self

    @model_validator(mode="after")
    def _no_card_double_in_prod(self) -> "BillingSettings":
        if self.environment == "prod" and self.card_provider == "test":
            raise ValueError("card_provider=test is a local double; configure a real one")
        return self


def fraud_rules(settings: BillingSettings) -> FraudRules:
    return FraudRules(
        new_org_max_total_minor=settings.fraud_new_org_max_total_minor,
        max_orders_per_hour=settings.fraud_max_orders_per_hour,
        unlock_days=settings.fraud_unlock_days,
        country_mismatch=settings.fraud_country_mismatch and settings.client_country_trusted,
    )


def bank_accounts(settings: BillingSettings) -> BankAccounts:
    def creditor(iban: str) -> Creditor:
        return Creditor(
            name=settings.bank_creditor_name,
            street=settings.bank_creditor_street,
            postcode=settings.bank_creditor_postcode,
            city=settings.bank_creditor_city,
            country=settings.bank_creditor_country,
            iban=iban,
        )

    return BankAccounts(chf=creditor(settings.bank_qr_iban), eur=creditor(settings.bank_iban))
