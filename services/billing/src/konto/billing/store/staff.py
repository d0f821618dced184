"""Billing support staff (BIL-3): user ids allowed to create promo codes and free grants,
managed with the CLI (`python -m konto.billing.cli add-staff`)."""

from konto.common.roster import Roster


class Staff(Roster):
    collection = "staff"
