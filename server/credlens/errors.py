"""What can go wrong, as domain errors: each carries a stable ``code`` and a message, nothing else.

How a code becomes an HTTP answer (status, ``Retry-After``) is written once, in
``credlens.api.errors``; the CLI prints the same codes. ``detail`` is safe to show to clients.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credlens.schemas import Analysis


class CredlensError(Exception):
    """A failure with a stable ``code`` (the ``error`` field of the JSON answer)."""

    code = "internal_error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidRequest(CredlensError):
    """The request does not fit the contract (a URL that is not absolute http(s), say)."""

    code = "validation_error"


class MalformedBody(CredlensError):
    code = "malformed_body"


class UnsupportedMediaType(CredlensError):
    code = "unsupported_media_type"


class BodyTooLarge(CredlensError):
    code = "body_too_large"


class NoArticle(CredlensError):
    """Nothing article-like in the page."""

    code = "no_article"


class UnsupportedLanguage(CredlensError):
    """The model does not score the article's language; ``analysis`` has its metadata."""

    code = "unsupported_language"

    def __init__(self, analysis: Analysis) -> None:
        lang = analysis.article.language or "unknown"
        super().__init__(f"language '{lang}' is not scored by this model; metadata only")
        self.analysis = analysis

    def __reduce__(self) -> tuple[type[UnsupportedLanguage], tuple[Analysis]]:
        # Raised in a worker process and pickled back to the service.
        return (type(self), (self.analysis,))


class NotFound(CredlensError):
    code = "not_found"


class Unauthorized(CredlensError):
    code = "unauthorized"


class Forbidden(CredlensError):
    code = "forbidden"


class RateLimited(CredlensError):
    code = "rate_limited"


class Overloaded(CredlensError):
    """Every worker and queue place is taken."""

    code = "overloaded"


class WorkerFailed(CredlensError):
    """The worker process running the analysis died (out of memory, a crash)."""

    code = "worker_failed"


class AnalysisTimeout(CredlensError):
    code = "timeout"


class NotReady(CredlensError):
    code = "not_ready"


class BadBundle(CredlensError):
    """The configured bundle failed its checks; the previous model keeps serving."""

    code = "bad_bundle"
