"""Support staff: the user ids allowed to read the delivery log, managed with the CLI."""

from konto.common.roster import Roster


class Staff(Roster):
    collection = "staff"
