"""fetch_article and is_url: limits and failures over httpx.MockTransport, never the network."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from ingest import MAX_ARTICLE_BYTES, Article, IngestError, fetch_article, is_url, make_client
from ingest.fetch import MAX_REDIRECTS, USER_AGENT

Handler = Callable[[httpx.Request], httpx.Response]

ARTICLE_TEXT = "Title\nFirst paragraph.\nSecond paragraph."
PAGE = (
    "<html lang='en'><head><title>Ferry fares fall</title></head><body><article>"
    "<h1>Ferry fares fall</h1><p>The regional transport board on Thursday cut ferry fares "
    "across the harbour by a third, the first reduction in over a decade.</p><p>The cheaper "
    "fares will be paid for by a levy on cruise ship landings, the board said.</p>"
    "</article></body></html>"
)


def client_for(handler: Handler) -> httpx.AsyncClient:
    return make_client(transport=httpx.MockTransport(handler))


async def fetch(handler: Handler, url: str = "https://news.example/a") -> Article:
    async with client_for(handler) as client:
        return await fetch_article(client, url)


async def fetch_error(handler: Handler, url: str = "https://news.example/a") -> str:
    with pytest.raises(IngestError) as caught:
        await fetch(handler, url)
    message = str(caught.value)
    assert "\n" not in message
    return message


def text_response(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, text=ARTICLE_TEXT, headers={"content-type": "text/plain"})


async def test_plain_text_response_is_parsed_as_text() -> None:
    assert await fetch(text_response) == Article(
        "Title",
        ("First paragraph.", "Second paragraph."),
        url="https://news.example/a",
        source="news.example",
    )


async def test_html_response_is_parsed_as_html() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=PAGE, headers={"content-type": "text/html; charset=utf-8"})

    article = await fetch(handler)
    assert article.title == "Ferry fares fall"
    assert len(article.paragraphs) == 2
    assert article.language == "en"


async def test_missing_content_type_is_sniffed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=PAGE.encode())

    assert (await fetch(handler)).title == "Ferry fares fall"


async def test_charset_from_the_header_is_used() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = "Café reopens\nThe café on the square reopened.".encode("latin-1")
        return httpx.Response(
            200, content=body, headers={"content-type": "text/plain; charset=ISO-8859-1"}
        )

    article = await fetch(handler)
    assert article.title == "Café reopens"


async def test_user_agent_names_the_project() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["user-agent"])
        return text_response(request)

    await fetch(handler)
    assert seen == [USER_AGENT]
    assert USER_AGENT.startswith("newsdigest/")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://news.example/a", "ftp://news.example/a: ftp: URLs are not supported"),
        ("file:///etc/passwd", "file:///etc/passwd: file: URLs are not supported"),
        ("news.example/a", "news.example/a: URLs without http:// or https:// are not supported"),
        ("https:///nohost", "https:///nohost: not a valid URL"),
    ],
)
async def test_other_schemes_are_refused_without_a_request(url: str, message: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be sent")

    assert (await fetch_error(handler, url)).startswith(message)


async def test_redirects_are_followed_up_to_the_limit() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        hop = int(request.url.params.get("hop", "0"))
        if hop < MAX_REDIRECTS:
            return httpx.Response(302, headers={"location": f"/a?hop={hop + 1}"})
        return text_response(request)

    article = await fetch(handler)
    assert article.url == f"https://news.example/a?hop={MAX_REDIRECTS}"
    assert article.extra == {"requested_url": "https://news.example/a"}


async def test_too_many_redirects() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"location": "/loop"})

    assert await fetch_error(handler) == "https://news.example/a: more than 5 redirects"


async def test_redirect_to_another_scheme_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "file:///etc/passwd"})

    assert "file: URLs are not supported" in await fetch_error(handler)


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "https://news.example/a: the server answered 404 Not Found"),
        (500, "https://news.example/a: the server answered 500 Internal Server Error"),
        (403, "https://news.example/a: the server answered 403 Forbidden"),
    ],
)
async def test_error_status(status: int, message: str) -> None:
    assert await fetch_error(lambda request: httpx.Response(status)) == message


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (httpx.ConnectTimeout("slow"), "the server did not answer in time"),
        (httpx.ReadTimeout("slow"), "the server did not answer in time"),
        (httpx.ConnectError("no such host"), "could not connect (unknown host, or the connection"),
        (httpx.RemoteProtocolError("bad"), "the download failed (RemoteProtocolError)"),
    ],
)
async def test_network_failures(error: Exception, message: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    assert (await fetch_error(handler)).startswith(f"https://news.example/a: {message}")


async def test_declared_length_over_the_cap_is_refused_before_reading() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=b"x",
            headers={"content-type": "text/plain", "content-length": str(50 * 1024 * 1024)},
        )

    assert await fetch_error(handler) == "https://news.example/a: the page is larger than 5 MB"


async def test_streamed_body_over_the_cap_is_abandoned() -> None:
    sent: list[int] = []
    chunk = b"word " * 13_107  # 64 KiB or so

    async def endless() -> AsyncIterator[bytes]:
        while True:
            sent.append(len(chunk))
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=endless(), headers={"content-type": "text/plain"})

    assert await fetch_error(handler) == "https://news.example/a: the page is larger than 5 MB"
    assert MAX_ARTICLE_BYTES < sum(sent) <= MAX_ARTICLE_BYTES + len(chunk)


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json"])
async def test_other_content_types_are_refused(content_type: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"{}", headers={"content-type": content_type})

    message = await fetch_error(handler)
    assert message == (
        f"https://news.example/a: the server sent {content_type}, not an HTML page or plain text"
    )


async def test_page_without_an_article_names_the_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content=b"<html><body><nav>Home</nav></body></html>",
            headers={"content-type": "text/html"},
        )

    assert (
        await fetch_error(handler) == "https://news.example/a: the page has no article text in it"
    )


async def test_make_client_defaults_and_overrides() -> None:
    async with make_client(headers={"X-Test": "1"}, timeout=3.0) as client:
        assert client.headers["user-agent"] == USER_AGENT
        assert client.headers["x-test"] == "1"
        assert client.timeout.read == 3.0
        assert client.max_redirects == MAX_REDIRECTS


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("https://example.com/news/1", True),
        ("  http://example.com  ", True),
        ("HTTPS://EXAMPLE.COM", True),
        ("ftp://example.com/a", False),
        ("example.com/news", False),
        ("/home/user/article.txt", False),
        ("https://", False),
        ("https://exa mple.com", False),
        ("http://[::1", False),
        ("", False),
        ("-", False),
    ],
)
def test_is_url(candidate: str, expected: bool) -> None:
    assert is_url(candidate) is expected
