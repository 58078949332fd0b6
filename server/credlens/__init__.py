"""credlens: a self-hostable news-credibility overlay (extraction, scoring, headline, API)."""

__version__ = "0.1.0"
