"""Jinja2 rendering of message templates: `templates/<locale>/<name>.{subject,txt,html}` for
e-mail, `templates/<locale>/<name>.sms` for SMS and `<name>.{push_title,push}` for push."""

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


class Renderer:
    def __init__(self) -> None:
        # StrictUndefined: a missing key fails the render instead of sending a gap.
        self.env = Environment(
            loader=PackageLoader("konto.notify", "templates"),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )

    def render(self, template: str, locale: str, context: dict[str, Any]) -> Rendered:
        subject = self.env.get_template(f"{locale}/{template}.subject").render(context).strip()
        full = {**context, "subject": subject}
        return Rendered(
            subject=subject,
            text=self.env.get_template(f"{locale}/{template}.txt").render(full),
            html=self.env.get_template(f"{locale}/{template}.html").render(full),
        )

    def render_sms(self, template: str, locale: str, context: dict[str, Any]) -> str:
        return self.env.get_template(f"{locale}/{template}.sms").render(context).strip()

    def render_push(self, template: str, locale: str, context: dict[str, Any]) -> tuple[str, str]:
        """Title and body of a push notification."""
        title = self.env.get_template(f"{locale}/{template}.push_title").render(context).strip()
        body = self.env.get_template(f"{locale}/{template}.push").render(context).strip()
        return title, body
