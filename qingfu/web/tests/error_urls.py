"""The product's URLs and one view that fails, for the error page tests."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from qingfu.config.urls import urlpatterns as product_urlpatterns


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [path("fails/", fails), *product_urlpatterns]
