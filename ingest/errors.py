"""Errors raised by ingest/: each names the page or input that was wrong."""

from __future__ import annotations


class IngestError(Exception):
    """Base class for everything ingest/ raises on bad input or a failed fetch."""


class ParseError(IngestError):
    """A page or text copy cannot be parsed into an act (no body, unknown layout …)."""


class MaintenancePage(ParseError):
    """adilet answered with a maintenance/stub page instead of a document: not an empty act."""


class FetchError(IngestError):
    """A page could not be fetched after all retries (or is not cached in offline mode)."""
