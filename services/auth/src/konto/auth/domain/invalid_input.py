"""A request value that breaks a rule, and the request field it came from."""


class InvalidInput(ValueError):
    """The 422 answer names `field`; the callers pass the name their request uses for it."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field
