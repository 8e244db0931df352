"""Entry point: ``flask --app app …`` and ``gunicorn app:app``."""
from sports import create_app

app = create_app()
