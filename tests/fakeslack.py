"""A local fake of the Slack Web API, served over real HTTP (standard library only).

Point a real ``slack_sdk.WebClient`` (or the app, via ``DRIFTBOT_SLACK_API_URL``)
at ``FakeSlack().base_url`` and the fake answers the way Slack does for the
methods driftbot uses, records every call, and can inject faults::

    with FakeSlack() as fake:
        client = WebClient(token=fake.bot_token, base_url=fake.base_url)
        client.chat_postMessage(channel="C1", text="hej")
        assert fake.messages("C1") == ["hej"]

Behaviour copied from the real API (docs.slack.dev method pages):

* Auth: ``Authorization: Bearer <token>`` header, or ``token`` as a form or
  query field (Slack ignores a ``token`` inside a JSON body, so does this).
  Missing token -> ``not_authed``; unknown token -> ``invalid_auth``; an
  app-level token (``xapp-``) on a bot method, or a bot token on
  ``apps.connections.open`` -> ``not_allowed_token_type``.  All with HTTP 200.
* ``users.info`` returns ``locale`` only when called with ``include_locale=true``.
* ``chat.postMessage`` to a user id (``U…``/``W…``) lands in that user's DM
  (``D`` + user id), which is also the ``channel`` echoed back.
* ``chat.update`` / ``chat.delete`` of an unknown ts -> ``message_not_found``.
* Error bodies of 429/5xx are what ``slack_sdk``'s retry handlers expect.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterable, Optional, Union
from urllib.parse import parse_qsl, urlsplit

__all__ = ["Call", "FakeSlack"]

# Methods Slack serves without a token.
AUTHLESS_METHODS = frozenset(
    {"api.test", "oauth.access", "oauth.v2.access", "oauth.v2.exchange", "openid.connect.token"}
)
# Methods that need an app-level (xapp-) token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open", "apps.event.authorizations.list"})
# Methods that accept either kind of token.
ANY_TOKEN_METHODS = frozenset({"auth.test"})

MAX_TEXT_LEN = 40_000
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
# Block Kit text limits that are easy to trip over with long content.
_TEXT_LIMITS = {"section": 3000, "header": 150}


class _Headers(dict):
    """dict with case-insensitive lookup; keys are stored lower-cased."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()):
        super().__init__((k.lower(), v) for k, v in items)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


@dataclass
class Call:
    """One HTTP request the fake received.

    ``params`` holds query-string fields overlaid with the body fields: strings
    for form bodies (so ``blocks``/``view`` are JSON *strings* there), native
    JSON values for JSON bodies.  Use :meth:`json` to read such a field either
    way.  ``at`` is ``time.monotonic()`` at arrival.  ``status`` is the HTTP
    status sent back and ``response`` the JSON body (``None`` for non-JSON
    fault bodies).
    """

    method: str
    params: dict
    headers: dict
    at: float
    status: int = 200
    response: Optional[dict] = None
    body: bytes = b""
    token: Optional[str] = None
    injected: bool = False  # True when the answer came from fail_next()

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response and self.response.get("ok"))

    @property
    def error(self) -> Optional[str]:
        return None if self.response is None else self.response.get("error")

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    def json(self, name: str, default: Any = None) -> Any:
        """Field ``name`` as a Python object, whether sent as a JSON string (form) or an object (JSON)."""
        if name not in self.params:
            return default
        value = self.params[name]
        if isinstance(value, (bytes, bytearray)):
            value = value.decode("utf-8")
        if isinstance(value, str):
            return json.loads(value)
        return value

    def __repr__(self) -> str:  # short, for assertion messages
        shown = {k: v for k, v in self.params.items() if k != "token"}
        text = json.dumps(shown, ensure_ascii=False, default=str)
        if len(text) > 200:
            text = text[:197] + "..."
        return f"Call({self.method} -> {self.status} {self.error or ('ok' if self.ok else '')}, {text})"


@dataclass
class _Fault:
    status: int
    retry_after: int
    remaining: int
    error: Optional[str]


@dataclass
class _Outage:
    until: float           # time.monotonic() when it ends
    status: int
    retry_after: int


@dataclass
class _Hang:
    seconds: float
    remaining: int
    accept: bool           # True: the call takes effect, only the answer is late


@dataclass
class _Message:
    channel: str
    ts: str
    text: str
    blocks: Optional[list] = None
    attachments: Optional[list] = None
    thread_ts: Optional[str] = None
    edited: bool = False

    def as_dict(self) -> dict:
        d = {"channel": self.channel, "ts": self.ts, "text": self.text}
        if self.blocks is not None:
            d["blocks"] = self.blocks
        if self.attachments is not None:
            d["attachments"] = self.attachments
        if self.thread_ts:
            d["thread_ts"] = self.thread_ts
        if self.edited:
            d["edited"] = True
        return d


class _SlackError(Exception):
    def __init__(self, error: str, *messages: str, **extra: Any):
        super().__init__(error)
        self.error = error
        self.messages = messages
        self.extra = extra

    def payload(self) -> dict:
        out: dict = {"ok": False, "error": self.error, **self.extra}
        if self.messages:
            out["response_metadata"] = {"messages": list(self.messages)}
        return out


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def _decode_json_field(params: dict, name: str, error: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _SlackError(error, f"[ERROR] `{name}` is not valid JSON") from None
    return value


def _validate_blocks(blocks: Any, limit: int, where: str = "blocks") -> None:
    if not isinstance(blocks, list):
        raise _SlackError("invalid_blocks_format", f"[ERROR] `{where}` must be an array")
    if len(blocks) > limit:
        raise _SlackError(
            "invalid_blocks", f"[ERROR] no more than {limit} items allowed [json-pointer:/{where}]"
        )
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or not block.get("type"):
            raise _SlackError("invalid_blocks", f"[ERROR] missing required field: type [json-pointer:/{where}/{i}]")
        limit_text = _TEXT_LIMITS.get(block["type"])
        text = block.get("text")
        if limit_text and isinstance(text, dict) and len(str(text.get("text", ""))) > limit_text:
            raise _SlackError(
                "invalid_blocks",
                f"[ERROR] must be less than {limit_text + 1} characters [json-pointer:/{where}/{i}/text/text]",
            )


class FakeSlack:
    """Fake Slack Web API on ``127.0.0.1:<free port>``; see module docstring."""

    def __init__(
        self,
        bot_token: str = "xoxb-test-token",
        app_token: str = "xapp-test-token",
        *,
        team_id: str = "T0001",
        team: str = "Driftbot Test",
        bot_user_id: str = "UBOT",
        bot_name: str = "driftbot",
        bot_id: str = "BBOT",
        app_id: str = "ABOT",
        host: str = "127.0.0.1",
        port: int = 0,
    ):
        self.bot_token = bot_token
        self.app_token = app_token
        self.team_id = team_id
        self.team = team
        self.bot_user_id = bot_user_id
        self.bot_name = bot_name
        self.bot_id = bot_id
        self.app_id = app_id
        self._host = host
        self._port = port
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._server: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None
        self._users: dict[str, dict] = {}
        self._overrides: dict[str, Union[dict, Callable[[Call], dict]]] = {}
        self._req_seq = 0
        # Ids (message ts, view ids) count on across reset(): Slack never reuses one,
        # and an app remembers ids it has seen (a view filed once is not filed again).
        self._seq = 0
        self.reset()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "FakeSlack":
        if self._server is not None:
            return self
        fake = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "FakeSlack/1.0"

            def do_POST(self) -> None:  # noqa: N802
                fake._serve(self)

            do_GET = do_POST  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:  # silence stderr
                pass

        server = ThreadingHTTPServer((self._host, self._port), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="FakeSlack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/api/`` – for ``WebClient(base_url=...)`` / ``DRIFTBOT_SLACK_API_URL``."""
        return f"http://{self._host}:{self.port}/api/"

    # ------------------------------------------------------------------ test API
    def reset(self) -> None:
        """Forget calls, messages, views and pending faults (keeps users, ``on()`` overrides and the id counter)."""
        with self._lock:
            self._calls: list[Call] = []
            self._faults: dict[str, list[_Fault]] = {}
            self._outages: dict[str, _Outage] = {}
            self._hangs: dict[str, list[_Hang]] = {}
            self._messages: list[_Message] = []
            self._ephemerals: list[dict] = []
            self._views: dict[str, dict] = {}
            self._home: dict[str, str] = {}
            self._cond.notify_all()

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0, *, ok_only: bool = False) -> list[Call]:
        """Block until ``count`` calls to ``method`` arrived (only successful ones if ``ok_only``).

        Returns those calls; raises AssertionError listing everything seen on timeout.
        """
        deadline = time.monotonic() + timeout

        def matching() -> list[Call]:
            return [c for c in self._calls if c.method == method and (c.ok or not ok_only)]

        with self._cond:
            while True:
                found = matching()
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"FakeSlack: expected {count} {'successful ' if ok_only else ''}call(s) to {method} "
                        f"within {timeout}s, got {len(found)}. All calls: {self._calls!r}"
                    )
                self._cond.wait(left)

    def add_user(
        self,
        user_id: str,
        real_name: str,
        display_name: str = "",
        locale: str = "sv-SE",
        is_bot: bool = False,
        *,
        name: Optional[str] = None,
        tz: str = "Europe/Stockholm",
        deleted: bool = False,
        **extra: Any,
    ) -> dict:
        """Register a user for ``users.info``; extra keyword args are merged into the user object."""
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name or (display_name or real_name).lower().replace(" ", "."),
            "deleted": deleted,
            "real_name": real_name,
            "tz": tz,
            "tz_label": "Central European Time" if tz == "Europe/Stockholm" else tz,
            "tz_offset": 3600 if tz == "Europe/Stockholm" else 0,
            "is_admin": False,
            "is_owner": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": 1700000000,
            "locale": locale,
            "profile": {
                "real_name": real_name,
                "real_name_normalized": real_name,
                "display_name": display_name,
                "display_name_normalized": display_name,
                "team": self.team_id,
            },
            **extra,
        }
        with self._lock:
            self._users[user_id] = user
        return user

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        error: Optional[str] = None,
    ) -> None:
        """Make the next ``times`` calls to ``method`` fail.

        * 429: ``Retry-After: retry_after`` header, body ``{"ok": false, "error": "ratelimited"}``.
        * other non-200 status: plain-text body.
        * 200: body ``{"ok": false, "error": error or "internal_error"}``.
        Faults queue up in the order they were registered.  Failed calls are recorded
        (``Call.status``, ``Call.injected``) and have no side effects.
        """
        with self._lock:
            self._faults.setdefault(method, []).append(_Fault(status, retry_after, times, error))

    def fail_for(self, method: str, seconds: float, status: int = 500, retry_after: int = 1) -> None:
        """Every call to ``method`` fails for the next ``seconds`` (an outage): like fail_next, by time."""
        with self._lock:
            self._outages[method] = _Outage(time.monotonic() + seconds, status, retry_after)

    def hang_next(self, method: str, seconds: float, times: int = 1, *, accept: bool = False) -> None:
        """The next ``times`` calls to ``method`` get no answer for ``seconds``.

        ``accept=False``: Slack hangs, then answers 503 and nothing happened.
        ``accept=True``: Slack did the work (the message is posted) but the answer comes late.
        """
        with self._lock:
            self._hangs.setdefault(method, []).append(_Hang(seconds, times, accept))

    def hangs_left(self, method: str) -> int:
        """How many calls to ``method`` are still to hang (0 once every hang_next() call has begun)."""
        with self._lock:
            return sum(h.remaining for h in self._hangs.get(method, []))

    def on(self, method: str, response: Union[dict, Callable[[Call], dict], None]) -> None:
        """Replace the answer for ``method`` (HTTP 200) with a dict or ``fn(call) -> dict``; ``None`` restores the default.

        Auth is still checked first.  Survives ``reset()``.
        """
        with self._lock:
            if response is None:
                self._overrides.pop(method, None)
            else:
                self._overrides[method] = response

    def messages(self, channel: Optional[str] = None) -> list[str]:
        """Texts of the current (posted, then updated, not deleted) messages, in posting order."""
        return [m["text"] for m in self.message_records(channel)]

    def message_records(self, channel: Optional[str] = None) -> list[dict]:
        """Like :meth:`messages` but dicts with channel, ts, text and blocks/attachments/thread_ts when set."""
        with self._lock:
            want = self._dm_channel(channel) if channel else None
            return [m.as_dict() for m in self._messages if want is None or m.channel == want]

    def ephemerals(self, user: Optional[str] = None) -> list[dict]:
        """``chat.postEphemeral`` messages: dicts with channel, user, ts, text, blocks."""
        with self._lock:
            return [dict(e) for e in self._ephemerals if user is None or e["user"] == user]

    def view(self, view_id: str) -> Optional[dict]:
        """Current state of a view opened/pushed/published/updated through the fake."""
        with self._lock:
            v = self._views.get(view_id)
            return json.loads(json.dumps(v)) if v is not None else None

    def home_view(self, user_id: str) -> Optional[dict]:
        """The App Home view last published for ``user_id``."""
        with self._lock:
            view_id = self._home.get(user_id)
        return self.view(view_id) if view_id else None

    # ------------------------------------------------------------------ HTTP plumbing
    def _serve(self, req: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(req.path)
        if not parts.path.startswith("/api/") or len(parts.path) <= len("/api/"):
            self._send(req, 404, {"Content-Type": "text/plain"}, b"not found")
            return
        method = parts.path[len("/api/"):]
        length = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(length) if length else b""
        headers = _Headers(req.headers.items())
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        params: dict[str, Any] = dict(query)
        body_error: Optional[str] = None
        form: dict = {}
        try:
            body_params, is_json = self._parse_body(headers.get("Content-Type", ""), raw)
            params.update(body_params)
            form = {} if is_json else body_params
        except ValueError as exc:
            body_error = str(exc)
        # Token: Bearer header, else a form or query field (never from a JSON body, like Slack).
        token: Optional[str] = None
        auth = headers.get("Authorization", "")
        if auth[:7].lower() == "bearer " and auth[7:].strip():
            token = auth[7:].strip()
        else:
            token = form.get("token") or query.get("token") or None
            if not isinstance(token, str):
                token = None
        call = Call(method=method, params=params, headers=headers, at=time.monotonic(), body=raw, token=token)
        hang = self._take_hang(method)
        if hang is not None and not hang.accept:
            time.sleep(hang.seconds)
            with self._cond:
                call.injected, call.status, call.response = True, 503, None
                self._calls.append(call)
                self._cond.notify_all()
            self._send(req, 503, {"Content-Type": "text/plain"}, b"fake slack: hung, then gave up")
            return
        status, out_headers, body = self._respond(call, body_error)
        if hang is not None:
            time.sleep(hang.seconds)
        self._send(req, status, out_headers, body)

    def _take_hang(self, method: str) -> Optional[_Hang]:
        with self._lock:
            queue = self._hangs.get(method)
            if not queue:
                return None
            hang = queue[0]
            hang.remaining -= 1
            if hang.remaining <= 0:
                queue.pop(0)
            return hang

    @staticmethod
    def _parse_body(content_type: str, raw: bytes) -> tuple[dict, bool]:
        if not raw:
            return {}, False
        ctype = content_type.split(";")[0].strip().lower()
        if ctype == "application/json":
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise ValueError("invalid_json") from None
            if not isinstance(data, dict):
                raise ValueError("invalid_json")
            return data, True
        if ctype == "multipart/form-data":
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw
            )
            out: dict[str, Any] = {}
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if not name:
                    continue
                payload = part.get_payload(decode=True) or b""
                out[name] = payload if part.get_filename() else payload.decode("utf-8")
            return out, False
        # application/x-www-form-urlencoded (and anything else, like Slack does for text/plain)
        try:
            return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True)), False
        except UnicodeDecodeError:
            raise ValueError("invalid_form_data") from None

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, headers: dict, body: bytes) -> None:
        try:
            req.send_response(status)
            for k, v in headers.items():
                req.send_header(k, v)
            req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            req.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _respond(self, call: Call, body_error: Optional[str]) -> tuple[int, dict, bytes]:
        method = call.method
        with self._cond:
            self._req_seq += 1
            json_headers = {"Content-Type": "application/json; charset=utf-8", "X-Slack-Req-Id": f"fake-{self._req_seq}"}
            fault = self._take_fault(method)
            if fault is not None:
                call.injected = True
                call.status = fault.status
                if fault.status == 429:
                    call.response = {"ok": False, "error": fault.error or "ratelimited"}
                    out_headers = dict(json_headers, **{"Retry-After": str(fault.retry_after)})
                    body = json.dumps(call.response).encode()
                elif fault.status == 200:
                    call.response = {"ok": False, "error": fault.error or "internal_error"}
                    out_headers, body = json_headers, json.dumps(call.response).encode()
                else:
                    call.response = None
                    out_headers = {"Content-Type": "text/plain; charset=utf-8"}
                    body = (fault.error or f"fake slack: injected HTTP {fault.status}").encode()
            else:
                try:
                    if body_error:
                        raise _SlackError(body_error)
                    self._check_auth(method, call.token)
                    override = self._overrides.get(method)
                    if override is not None:
                        result = override(call) if callable(override) else json.loads(json.dumps(override))
                    else:
                        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
                        result = handler(call) if handler else {"ok": True}
                except _SlackError as exc:
                    result = exc.payload()
                except Exception as exc:  # a bug in the fake or in an on() callable: answer 500, keep serving
                    result = None
                    call.status = 500
                    out_headers = {"Content-Type": "text/plain; charset=utf-8"}
                    body = f"fake slack crashed: {exc!r}".encode()
                call.response = result
                if result is not None:
                    out_headers, body = json_headers, json.dumps(result, ensure_ascii=False).encode("utf-8")
            self._calls.append(call)
            self._cond.notify_all()
            return call.status, out_headers, body

    def _take_fault(self, method: str) -> Optional[_Fault]:
        outage = self._outages.get(method)
        if outage is not None:
            if time.monotonic() < outage.until:
                return _Fault(outage.status, outage.retry_after, 1, None)
            del self._outages[method]
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.pop(0)
        return fault

    def _check_auth(self, method: str, token: Optional[str]) -> None:
        if method in AUTHLESS_METHODS:
            return
        if not token:
            raise _SlackError("not_authed")
        if token == self.bot_token:
            kind = "bot"
        elif token == self.app_token:
            kind = "app"
        else:
            raise _SlackError("invalid_auth")
        if method in ANY_TOKEN_METHODS:
            return
        if (method in APP_TOKEN_METHODS) != (kind == "app"):
            raise _SlackError("not_allowed_token_type")

    # ------------------------------------------------------------------ helpers
    def _next_ts(self) -> str:
        self._seq += 1
        micros = 1_700_000_000_000_000 + self._seq * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    @staticmethod
    def _dm_channel(channel: str) -> str:
        # Posting to a user id posts to the DM with that user (conversations.open gives "D"+user).
        if channel[:1] in ("U", "W"):
            return "D" + channel
        return channel

    def _find_message(self, channel: str, ts: str) -> Optional[_Message]:
        for m in self._messages:
            if m.channel == channel and m.ts == ts:
                return m
        return None

    def _message_content(self, call: Call, *, blocks_limit: int = MAX_MESSAGE_BLOCKS) -> tuple:
        text = call.get("text")
        text = "" if text is None else str(text)
        blocks = _decode_json_field(call.params, "blocks", "invalid_blocks_format")
        attachments = _decode_json_field(call.params, "attachments", "invalid_attachments")
        if blocks == []:
            blocks = None
        if attachments == []:
            attachments = None
        if not text and blocks is None and attachments is None and not call.get("markdown_text"):
            raise _SlackError("no_text")
        if len(text) > MAX_TEXT_LEN:
            raise _SlackError("msg_too_long")
        if blocks is not None:
            _validate_blocks(blocks, blocks_limit)
        if attachments is not None and not isinstance(attachments, list):
            raise _SlackError("invalid_attachments")
        if not text and call.get("markdown_text"):
            text = str(call.get("markdown_text"))
        return text, blocks, attachments

    def _bot_message(self, msg: _Message) -> dict:
        out = {
            "type": "message",
            "text": msg.text,
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "ts": msg.ts,
        }
        if msg.blocks is not None:
            out["blocks"] = msg.blocks
        if msg.attachments is not None:
            out["attachments"] = msg.attachments
        if msg.thread_ts:
            out["thread_ts"] = msg.thread_ts
        return out

    # ------------------------------------------------------------------ methods
    def _m_api_test(self, call: Call) -> dict:
        return {"ok": True, "args": {k: v for k, v in call.params.items() if k != "token"}}

    def _m_auth_test(self, call: Call) -> dict:
        return {
            "ok": True,
            "url": f"https://{self.team.lower().replace(' ', '-')}.slack.com/",
            "team": self.team,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, call: Call) -> dict:
        return {"ok": True, "url": f"wss://127.0.0.1:{self.port}/link/?ticket=fake-{self._seq}&app_id={self.app_id}"}

    def _m_chat_postMessage(self, call: Call) -> dict:
        channel = call.get("channel")
        if not channel:
            raise _SlackError("channel_not_found")
        text, blocks, attachments = self._message_content(call)
        thread_ts = call.get("thread_ts") or None
        msg = _Message(self._dm_channel(str(channel)), self._next_ts(), text, blocks, attachments, thread_ts)
        self._messages.append(msg)
        return {"ok": True, "channel": msg.channel, "ts": msg.ts, "message": self._bot_message(msg)}

    def _m_chat_update(self, call: Call) -> dict:
        channel, ts = call.get("channel"), call.get("ts")
        if not channel:
            raise _SlackError("channel_not_found")
        if not ts:
            raise _SlackError("message_not_found")
        text, blocks, attachments = self._message_content(call)
        msg = self._find_message(self._dm_channel(str(channel)), str(ts))
        if msg is None:
            raise _SlackError("message_not_found")
        msg.text, msg.edited = text, True
        if blocks is not None or "blocks" in call.params:
            msg.blocks = blocks
        if attachments is not None or "attachments" in call.params:
            msg.attachments = attachments
        out = {"ok": True, "channel": msg.channel, "ts": msg.ts, "text": msg.text, "message": self._bot_message(msg)}
        out["message"]["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return out

    def _m_chat_delete(self, call: Call) -> dict:
        channel, ts = call.get("channel"), call.get("ts")
        if not channel:
            raise _SlackError("channel_not_found")
        msg = self._find_message(self._dm_channel(str(channel)), str(ts or ""))
        if msg is None:
            raise _SlackError("message_not_found")
        self._messages.remove(msg)
        return {"ok": True, "channel": msg.channel, "ts": msg.ts}

    def _m_chat_postEphemeral(self, call: Call) -> dict:
        channel, user = call.get("channel"), call.get("user")
        if not channel:
            raise _SlackError("channel_not_found")
        if not user:
            raise _SlackError("user_not_in_channel")
        text, blocks, _ = self._message_content(call)
        ts = self._next_ts()
        self._ephemerals.append(
            {"channel": str(channel), "user": str(user), "ts": ts, "text": text, "blocks": blocks,
             "thread_ts": call.get("thread_ts")}
        )
        return {"ok": True, "message_ts": ts}

    def _m_users_info(self, call: Call) -> dict:
        user_id = call.get("user")
        user = self._users.get(str(user_id)) if user_id else None
        if user is None:
            raise _SlackError("user_not_found")
        user = json.loads(json.dumps(user))
        if not _truthy(call.get("include_locale", False)):
            user.pop("locale", None)  # Slack only sends it with include_locale=true
        return {"ok": True, "user": user}

    def _m_conversations_open(self, call: Call) -> dict:
        channel = call.get("channel")
        users = call.get("users")
        if isinstance(users, list):
            users = ",".join(users)
        if channel:
            cid = str(channel)
        elif users:
            ids = [u.strip() for u in str(users).split(",") if u.strip()]
            if len(ids) > 8:
                raise _SlackError("too_many_users")
            cid = "D" + ids[0] if len(ids) == 1 else "G" + "".join(i[-3:] for i in ids)
        else:
            raise _SlackError("users_list_not_supplied")
        out: dict = {"ok": True, "channel": {"id": cid}}
        if _truthy(call.get("return_im", False)):
            out["channel"].update({"is_im": cid.startswith("D"), "is_open": True, "created": 1700000000})
            if cid.startswith("D"):
                out["channel"]["user"] = cid[1:]
        return out

    def _view_fields(self, view: dict) -> dict:
        """What a stored view takes from the view sent, with a new hash (it changes on every write)."""
        self._seq += 1
        return {
            "type": view.get("type"),
            "title": view.get("title"),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "hash": f"{1700000000 + self._seq}.fake{self._seq:04d}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
        }

    def _new_view(self, view: dict) -> dict:
        fields = self._view_fields(view)
        view_id = f"V{self._seq:08d}"
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            **fields,
            "state": {"values": {}},
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self._views[view_id] = stored
        return stored

    def _view_arg(self, call: Call, *types: str, replacing: Optional[str] = None) -> dict:
        view = _decode_json_field(call.params, "view", "invalid_arguments")
        if not isinstance(view, dict):
            raise _SlackError("invalid_arguments", "[ERROR] missing required field: view")
        if view.get("type") not in types:
            raise _SlackError("invalid_arguments",
                              f"[ERROR] must be one of {', '.join(types)} [json-pointer:/view/type]")
        if view.get("type") == "modal" and not view.get("title"):
            raise _SlackError("invalid_arguments", "[ERROR] missing required field: title [json-pointer:/view]")
        _validate_blocks(view.get("blocks", []), MAX_VIEW_BLOCKS, "view/blocks")
        ext = view.get("external_id")
        if ext and any(v.get("external_id") == ext and vid != replacing for vid, v in self._views.items()):
            raise _SlackError("duplicate_external_id")
        return view

    def _m_views_open(self, call: Call) -> dict:
        if not call.get("trigger_id") and not call.get("interactivity_pointer"):
            raise _SlackError("invalid_arguments", "[ERROR] missing required field: trigger_id")
        view = self._view_arg(call, "modal")
        return {"ok": True, "view": self._new_view(view)}

    # The fake keeps no stack of modals: a pushed view is a new view, like an opened one.
    _m_views_push = _m_views_open

    def _m_views_publish(self, call: Call) -> dict:
        user_id = call.get("user_id")
        if not user_id:
            raise _SlackError("invalid_arguments", "[ERROR] missing required field: user_id")
        user_id = str(user_id)
        old_id = self._home.get(user_id)
        view = self._view_arg(call, "home", replacing=old_id)
        if old_id and call.get("hash") and call.get("hash") != self._views[old_id]["hash"]:
            raise _SlackError("hash_conflict")
        if old_id:  # republishing replaces the user's home view
            del self._views[old_id]
        stored = self._new_view(view)
        self._home[user_id] = stored["id"]
        return {"ok": True, "view": stored}

    def _m_views_update(self, call: Call) -> dict:
        view_id, external_id = call.get("view_id"), call.get("external_id")
        if not view_id and not external_id:
            raise _SlackError("invalid_arguments", "[ERROR] either view_id or external_id is required")
        current = self._views.get(str(view_id)) if view_id else next(
            (v for v in self._views.values() if v.get("external_id") == external_id), None
        )
        if current is None:
            raise _SlackError("not_found")
        if call.get("hash") and call.get("hash") != current["hash"]:
            raise _SlackError("hash_conflict")
        view = self._view_arg(call, "modal", "home", replacing=current["id"])
        # An update without external_id keeps the one the view has.
        current.update(self._view_fields({"external_id": current.get("external_id", ""), **view}))
        return {"ok": True, "view": json.loads(json.dumps(current))}
