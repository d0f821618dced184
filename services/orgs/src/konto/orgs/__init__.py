"""Konto orgs: Organizations, members, roles and invitations."""
