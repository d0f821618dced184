"""Konto notify: security e-mails, SMS and push, once per person (SPEC NOT-*)."""
