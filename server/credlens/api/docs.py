"""The OpenAPI document and its docs UI, served entirely by the service.

``/schema`` is Swagger UI (also at ``/schema/swagger``), ``/schema/openapi.json`` and
``/schema/openapi.yaml`` the document. Swagger UI's scripts, stylesheet and favicon are package
data (``docs/swagger-ui/``, version and source in ``docs/README.md``) served at
``/schema/assets/``, so the page renders on a network with no way out: nothing is loaded from
a CDN, and the page asks for no web fonts.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router

#: Where the OpenAPI document and the docs UI are served.
SCHEMA_PATH = "/schema"
#: Where the UI's own files are served (under the schema path, left out of the document).
ASSETS_PATH = f"{SCHEMA_PATH}/assets"
#: The vendored Swagger UI files (package data, so they ship in the wheel).
ASSETS_DIR = Path(__file__).resolve().parent / "docs" / "swagger-ui"


def swagger_ui() -> SwaggerRenderPlugin:
    """Swagger UI at ``/schema`` and ``/schema/swagger``, with every asset from this service."""
    return SwaggerRenderPlugin(
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
        path=["/", "/swagger"],
    )


def schema_router() -> Router:
    """The router that Litestar fills with the docs and document routes, holding the assets.

    A new one per app: Litestar registers the render plugins' routes into it."""
    assets = create_static_files_router(
        path=ASSETS_PATH.removeprefix(SCHEMA_PATH),
        directories=[ASSETS_DIR],
        name="docs-assets",
        include_in_schema=False,
    )
    return Router(SCHEMA_PATH, route_handlers=[assets], include_in_schema=False)


def openapi_config(version: str, description: str) -> OpenAPIConfig:
    """The service's OpenAPI document, served with a self-contained docs UI."""
    return OpenAPIConfig(
        title="credlens",
        version=version,
        description=description,
        path=SCHEMA_PATH,
        create_examples=False,
        use_handler_docstrings=True,
        components=Components(
            security_schemes={
                "apiKey": SecurityScheme(
                    type="apiKey", name="X-API-Key", security_scheme_in="header"
                ),
                "adminToken": SecurityScheme(type="http", scheme="bearer"),
            }
        ),
        render_plugins=[swagger_ui(), YamlRenderPlugin()],
        openapi_router=schema_router(),
    )
