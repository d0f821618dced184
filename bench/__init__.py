"""Konto's benchmark (issues 3 and 9): `bench/run` against the local suite (`scripts/up`)."""
