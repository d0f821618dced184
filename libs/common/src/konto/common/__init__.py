"""Mechanisms every Konto service shares; each exists once, here."""
