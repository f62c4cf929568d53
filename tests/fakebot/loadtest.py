"""Measure the fake server's throughput from this process: sendMessage as PTB sends it.

    python -m tests.fakebot --port 8081 --no-validate &     # or without --no-validate
    python -m tests.fakebot.loadtest http://127.0.0.1:8081 --requests 20000 --concurrency 64

Prints requests/s. Form-encoded bodies with an HTML text and a JSON reply_markup, to 1,000
different chats, over keep-alive connections, like PTB's HTTPXRequest.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import aiohttp

TOKEN = "123456:LOAD-test"
TEXT = (
    '<b>Article title</b>\n<a href="https://example.com/a?id=1&amp;x=2">example.com</a>\n'
    "First summary sentence, long enough to look like one. Second one &lt;with&gt; entities.\n"
    "<i>“A key quote from somebody important,” said the speaker.</i>"
)
MARKUP = json.dumps({"inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]})


async def worker(session: aiohttp.ClientSession, url: str, todo: list[int]) -> int:
    errors = 0
    while todo:
        chat = todo.pop() % 1000 + 1
        form = {"chat_id": str(chat), "text": TEXT, "parse_mode": "HTML", "reply_markup": MARKUP}
        async with session.post(url, data=form) as response:
            await response.read()
            errors += response.status != 200
    return errors


async def run(base: str, requests: int, concurrency: int) -> None:
    url = f"{base.rstrip('/')}/bot{TOKEN}/sendMessage"
    todo = list(range(requests))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await worker(session, url, [0])  # warm up
        started = time.perf_counter()
        workers = [worker(session, url, todo) for _ in range(concurrency)]
        errors = sum(await asyncio.gather(*workers))
        elapsed = time.perf_counter() - started
    rate = requests / elapsed
    print(f"{requests} sendMessage in {elapsed:.2f} s: {rate:.0f} requests/s, {errors} errors")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakebot.loadtest")
    parser.add_argument("url", help="the fake server, e.g. http://127.0.0.1:8081")
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    asyncio.run(run(args.url, args.requests, args.concurrency))


if __name__ == "__main__":
    main()
