"""Settings, URLs, the WSGI/ASGI entry points and the Celery app.

The Celery app is loaded with Django, so that tasks sent from a request go to it."""

from qingfu.config.celery import app as celery_app

__all__ = ["celery_app"]
