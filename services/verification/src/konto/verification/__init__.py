"""Konto verification: Identity verification cases with documents and a selfie."""
