"""The orgs process: HTTP API and Kafka wiring; features arrive with their issues."""

from konto.common.service import Runtime
from konto.orgs.config import OrgsSettings

settings = OrgsSettings()
runtime = Runtime("orgs", settings)

app = runtime.create_app(
    title="Konto orgs",
    description="Organizations, members, roles and invitations.",
)
