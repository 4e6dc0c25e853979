"""Entry point for gunicorn and the flask CLI: the only place create_app() is called."""

from marketplace.app import create_app

app = create_app()
