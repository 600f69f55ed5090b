"""`driftbot serve --teams`: the Teams bot as a long-running process.

aiohttp on --port (default 3978): POST /api/messages (Bot Framework
activities, each request's token checked by the Agents SDK against the app id
and tenant), and GET /healthz and the public status page (/status, bot.status.site)
outside the check. Beside it the outbox worker
(bot.conversation.serving) delivers the Teams copies of the channel notices
and the notices to Teams users. SIGTERM or Ctrl-C stops both.

Anonymous mode (CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED=true)
accepts requests without a token and sends without one: for local testing
against a stand-in service, never in production.
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys
from datetime import timedelta

from bot.config import ConfigError, Settings, require
from bot.conversation.serving import Serving, build_runtime

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
CHANNEL = "teams"


def check_settings(settings: Settings) -> None:
    """Stop with one line naming the first missing variable."""
    if not settings.teams_anonymous:
        require(settings, "teams_client_id", "teams_client_secret", "teams_tenant_id")
    if settings.teams_channel and not settings.teams_service_url:
        require(settings, "teams_service_url")


def sdk_configuration(settings: Settings) -> dict:
    """The Agents SDK's configuration from the same variables (it reads CONNECTIONS__... itself)."""
    from microsoft_agents.activity import load_configuration_from_env

    env = dict(os.environ)
    if settings.teams_anonymous:
        env["CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED"] = "true"
    return load_configuration_from_env(env)


def build_web_app(bot, settings: Settings, readiness_store=None):
    """The aiohttp application: /api/messages through the SDK's token check, /healthz beside it."""
    from aiohttp import web
    from microsoft_agents.authentication.msal import MsalConnectionManager
    from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator, start_agent_process

    from bot.adapters.teams.app import build_application

    connections = MsalConnectionManager(**sdk_configuration(settings))
    adapter = CloudAdapter(connection_manager=connections)
    bot.adapter = adapter
    agent_app = build_application(bot, connections)

    @jwt_authorization_decorator
    async def messages(request: web.Request) -> web.Response:
        response = await start_agent_process(request, agent_app, adapter)
        return response if response is not None else web.Response(status=202)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    web_app = web.Application()
    web_app.router.add_post(MESSAGES_PATH, messages)
    web_app.router.add_get("/healthz", healthz)
    add_status_routes(web_app, bot.runtime)
    # The token check reads the service connection's settings (app id, tenant) from here.
    web_app["agent_configuration"] = connections.get_default_connection_configuration()
    web_app["agent_app"] = agent_app
    return web_app, adapter


def add_status_routes(web_app, runtime) -> None:
    """The public status page beside the bot, outside the token check (bot.status.site)."""
    from aiohttp import web

    from bot.status.site import PATHS, StatusSite

    site = StatusSite(runtime.store, runtime.content, runtime.clock)

    async def status(request: web.Request) -> web.Response:
        try:
            page = await asyncio.to_thread(site.respond, request.path, request.query_string, request.host)
        except Exception as exc:  # the database is down, say: the page says so, the bot goes on
            log.warning("the status page failed: %s", type(exc).__name__)
            return web.Response(status=503, text="unavailable")
        if page is None:
            raise web.HTTPNotFound()
        content_type, _, charset = page.content_type.partition("; charset=")
        return web.Response(status=page.status, body=page.body, content_type=content_type,
                            charset=charset or None, headers={"Cache-Control": page.cache_control})

    for path in (*PATHS, "/status/", "/status/outage/{outage}"):
        web_app.router.add_get(path, status)


def serve(settings: Settings, *, port: int, host: str, at: str | None = None, outbox_interval: float = 5.0) -> int:
    check_settings(settings)
    from bot.adapters.teams.app import TeamsBot
    from bot.adapters.teams.texts import load_teams_texts
    from bot.conversation.admin import Admins

    runtime = build_runtime(settings, at)
    texts = load_teams_texts(runtime.content.directory, runtime.content.default_lang)
    if settings.teams_channel:
        from bot.outages.channels import register

        # From now on every channel notice is queued for Teams too (bot.outages.channels).
        register(runtime.store, CHANNEL, runtime.clock.now())
    bot = TeamsBot(runtime, texts, Admins(settings.teams_admins), app_id=settings.teams_client_id)
    serving = Serving(runtime, frozen=at is not None)
    serving.install_signals()
    from bot.runtime import keep_for_good

    keep_for_good()
    try:
        return asyncio.run(_run(bot, settings, serving, host, port, outbox_interval))
    finally:
        serving.close()


async def _run(bot, settings: Settings, serving: Serving, host: str, port: int, interval: float) -> int:
    from aiohttp import web

    from bot.adapters.teams.delivery import TeamsDeliverer

    web_app, adapter = build_web_app(bot, settings)
    runner = web.AppRunner(web_app, access_log=None)  # the access log would show every request's path and peer
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        raise ConfigError(f"configuration error: --port: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    deliverer = TeamsDeliverer(adapter, app_id=settings.teams_client_id, loop=asyncio.get_running_loop(),
                               chats=bot.chats, channel_id=settings.teams_channel,
                               service_url=settings.teams_service_url)
    serving.start_outbox(deliverer, CHANNEL, interval, reply_lease=timedelta(minutes=1))
    bound = site._server.sockets[0].getsockname()[1] if site._server and site._server.sockets else port
    mode = " (anonymous: no token checked, for local testing only)" if settings.teams_anonymous else ""
    # Printed, not logged: scripts (and the tests) read the port from it when --port 0 picked one.
    print(f"driftbot: serving Teams on {host}:{bound}{mode} (messages at {MESSAGES_PATH}, health at /healthz, "
          f"status page at /status)",
          file=sys.stderr, flush=True)
    try:
        await asyncio.get_running_loop().run_in_executor(None, serving.stop.wait)
    finally:
        await runner.cleanup()
    return 0
