"""Run the fake Bot API server as a process: `python -m tests.fakebot --port 8081 [--flood]`.

Prints "fakebot listening on http://127.0.0.1:PORT" once it accepts connections (with
`--port 0` that is how a parent learns the port), then serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from .server import HOST, Defaults, FakeBotServer


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.fakebot", description=__doc__)
    parser.add_argument("--host", default=HOST)
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--flood", action="store_true", help="turn Telegram's limits on")
    parser.add_argument("--global-rate", type=float, default=30.0, help="messages/s, with --flood")
    parser.add_argument("--chat-rate", type=float, default=1.0, help="per chat, with --flood")
    parser.add_argument(
        "--no-validate", action="store_true", help="skip HTML parsing (benchmarks only)"
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    defaults = Defaults(
        flood=args.flood,
        global_per_sec=args.global_rate,
        per_chat_per_sec=args.chat_rate,
        validate_html=not args.no_validate,
    )
    server = FakeBotServer(defaults)
    port = await server.start(args.port, args.host)
    print(f"fakebot listening on http://{args.host}:{port}", flush=True)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    await stopped.wait()
    await server.stop()


def main(argv: list[str] | None = None) -> None:
    asyncio.run(serve(parse_args(argv)))


if __name__ == "__main__":
    main()
