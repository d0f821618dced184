"""Konto auth: identities, sessions and second factors (SPEC AUTH-*)."""
