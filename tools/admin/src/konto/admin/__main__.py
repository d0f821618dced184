from konto.admin.cli import app

app()
