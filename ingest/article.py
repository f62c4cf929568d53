"""The article record every way in produces."""

from __future__ import annotations

from dataclasses import dataclass, field

# The most an article's input may weigh, as bytes (a file, a download, or UTF-8 text).
MAX_ARTICLE_BYTES = 5 * 1024 * 1024


class IngestError(ValueError):
    """Input that cannot become an article; the message is one line meant for the user."""


def too_large(what: str, limit: int = MAX_ARTICLE_BYTES) -> IngestError:
    """The error for input over `limit` bytes, e.g. "the page is larger than 5 MB"."""
    return IngestError(f"the {what} is larger than {limit // (1024 * 1024)} MB")


@dataclass(frozen=True)
class Article:
    """A parsed news article: title, body paragraphs, and what is known about it."""

    title: str
    paragraphs: tuple[str, ...]
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date, e.g. "2026-11-28"
    language: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def body(self) -> str:
        """The body as plain text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)
