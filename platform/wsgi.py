"""WSGI entry point for gunicorn: `gunicorn markethub.platform.wsgi:app`."""
from .app import create_app

app = create_app()
