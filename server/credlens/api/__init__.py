"""The HTTP layer: the Litestar app (``app``), its routes, middleware, the error table and the
OpenAPI examples. ``create_app(settings)`` is the public face; ``serve`` runs it."""
