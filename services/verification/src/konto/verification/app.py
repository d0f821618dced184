"""The verification process: HTTP API and Kafka wiring; features arrive with their issues."""

from konto.common.service import Runtime
from konto.verification.config import VerificationSettings

settings = VerificationSettings()
runtime = Runtime("verification", settings)

app = runtime.create_app(
    title="Konto verification",
    description="Identity verification cases with documents and a selfie.",
)
