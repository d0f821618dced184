"""Support agents (VER-3): the user ids allowed to review cases, managed with the CLI."""

from konto.common.roster import Roster


class Agents(Roster):
    collection = "agents"
