"""`konto-admin`: one entry point for the operator commands of every service."""
