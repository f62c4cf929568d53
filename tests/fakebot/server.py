"""The fake Bot API as an aiohttp application: /bot<TOKEN>/<method>, file downloads, /_fake/.

`FakeBotServer` runs on whatever event loop starts it; `inprocess.FakeTelegram` gives it a
thread of its own, `python -m tests.fakebot` a process of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .botapi import METHODS, bot_user
from .control import OPERATIONS
from .params import ApiError, Params, bad_request
from .world import JSON, World

HOST = "127.0.0.1"
MAX_BODY = 60 * 1024 * 1024  # room for a 50 MB upload, Telegram's sendDocument limit
MAX_POLL_TIMEOUT = 50.0
SHUTDOWN_SECONDS = 2.0
NOT_FOUND = ApiError(404, "Not Found")
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _respond(body: JSON, status: int = 200) -> web.Response:
    return web.Response(body=_dumps(body), status=status, content_type="application/json")


async def read_params(request: web.Request) -> dict[str, Any]:
    """Merge the query string and the body (urlencoded, multipart or JSON), as Telegram does."""
    values: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return values
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if isinstance(body, dict):
            values.update(body)
    else:
        values.update(await request.post())
    return values


def _close_uploads(values: dict[str, Any]) -> None:
    # aiohttp spools multipart files to temporary files; close them before they are collected.
    for value in values.values():
        if isinstance(value, web.FileField):
            value.file.close()


async def get_updates(world: World, params: Params) -> list[JSON]:
    """Long polling: answer at once when updates are pending, else when one arrives or timeout."""
    if world.webhook_url:
        raise ApiError(409, CONFLICT_WEBHOOK)
    offset = params.get_int("offset", 0) or 0
    limit = min(100, max(1, params.get_int("limit", 100) or 100))
    timeout = min(MAX_POLL_TIMEOUT, max(0.0, params.get_float("timeout", 0.0)))
    if offset > 0:
        # Calling with an offset confirms every update before it; they are gone for good.
        world.updates = [u for u in world.updates if u["update_id"] >= offset]
    elif offset < 0:
        world.updates = world.updates[offset:]
    world.poll_generation += 1
    generation = world.poll_generation
    world.notify()
    await world.wait_until(
        lambda: world.poll_generation != generation or bool(world.updates), timeout
    )
    if world.poll_generation != generation:
        raise ApiError(409, CONFLICT_POLL)
    return world.updates[:limit]


@dataclass
class Defaults:
    """What a fresh (or reset) world starts with."""

    flood: bool = False
    global_per_sec: float = 30.0
    per_chat_per_sec: float = 1.0
    validate_html: bool = True

    def new_world(self) -> World:
        world = World(validate_html=self.validate_html)
        if self.flood:
            world.flood.configure(self.global_per_sec, self.per_chat_per_sec)
        return world


class FakeBotServer:
    """The aiohttp application and the world behind it."""

    def __init__(self, defaults: Defaults | None = None) -> None:
        self.defaults = defaults or Defaults()
        self.world = self.defaults.new_world()
        self.app = web.Application(client_max_size=MAX_BODY)
        self.app.router.add_route("*", "/bot{token}/{method}", self.bot_api)
        self.app.router.add_get("/file/bot{token}/{path:.+}", self.download)
        self.app.router.add_route("*", "/_fake/{operation}", self.control)
        self.app.router.add_route("*", "/{tail:.*}", self.not_found)
        self.runner: web.AppRunner | None = None

    async def start(self, port: int = 0, host: str = HOST) -> int:
        """Listen on host:port (0 picks a free port); return the port."""
        self.runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
        await self.runner.setup()
        site = web.TCPSite(self.runner, host, port, reuse_address=True)
        await site.start()
        return int(self.runner.addresses[0][1])

    async def stop(self) -> None:
        self._retire_world()
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    def _retire_world(self) -> None:
        self.world.closed = True
        self.world.notify()

    async def not_found(self, request: web.Request) -> web.Response:
        return _respond(NOT_FOUND.to_json(), 404)

    async def bot_api(self, request: web.Request) -> web.Response:
        world = self.world
        bot = bot_user(request.match_info["token"])
        method = request.match_info["method"].lower()
        if bot is None or (method not in METHODS and method != "getupdates"):
            return _respond(NOT_FOUND.to_json(), 404)
        world.count("requests")
        world.count(f"method.{method}")
        values: dict[str, Any] = {}
        try:
            values = await read_params(request)
            params = Params(values)
            if method == "getupdates":
                result: Any = await get_updates(world, params)
            else:
                result = METHODS[method](world, bot, params)
        except ApiError as error:
            if error.code == 400:
                world.count("rejected_400")
            return _respond(error.to_json(), error.code)
        finally:
            _close_uploads(values)
        return _respond({"ok": True, "result": result})

    async def download(self, request: web.Request) -> web.Response:
        if bot_user(request.match_info["token"]) is not None:
            path = request.match_info["path"]
            for stored in self.world.files.values():
                if stored.file_path == path:
                    return web.Response(body=stored.content)
        return _respond(NOT_FOUND.to_json(), 404)

    async def control(self, request: web.Request) -> web.Response:
        name = request.match_info["operation"]
        args: dict[str, Any] = dict(request.query)
        if request.body_exists:
            args.update(await request.json())
        if name == "reset":
            self._retire_world()
            self.world = self.defaults.new_world()
            return _respond({"ok": True, "result": None})
        operation = OPERATIONS.get(name)
        if operation is None:
            return _respond(NOT_FOUND.to_json(), 404)
        try:
            result = await operation(self.world, args)
        except (KeyError, ValueError, LookupError) as error:
            return _respond({"ok": False, "error_code": 400, "description": repr(error)}, 400)
        return _respond({"ok": True, "result": result})
