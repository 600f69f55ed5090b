"""Burst benchmark: everyone writes at once when an outage starts.

Against `driftbot serve` (HTTP mode) and, in the same run, a bare slack-bolt app on the same
HTTP server (bot.adapters.slack.http_server), both talking to the fake Slack Web API
(tests/fakeslack.py) in a process of its own, all on 127.0.0.1:

1. 300 signed DMs from 50 concurrent senders (each on its own kept-alive connection, sending its
   next message as soon as the previous one is acknowledged; by default all on one asyncio event
   loop in a client process, every request signed before the first is sent; `--client threads`:
   5 processes of threads signing as they go, the generator until 2026-12-03):
   acknowledgement latency (p50, p95, p99, max) and the time until every message is answered
   (a chat.postMessage into the sender's DM).
2. driftbot only: 50 people report the same TES outage at once through their DMs (a message
   with every field, then "ja"): reports stored, posts to the broadcast channel (one is right;
   the later reports edit it).
3. driftbot only: resident memory (RSS) of `serve` at rest (started, before any traffic),
   after the DM burst and after the reports.

Each app gets 10 warm-up messages first (not counted). Every loop is bounded.

    .venv/bin/python benchmarks/burst.py [--db URL] [--rounds N] [--client asyncio|threads] [--json]

`--db` runs driftbot on that database (default: a fresh SQLite file); a PostgreSQL URL must
name an empty database. The goal (issue 10): driftbot's ack p99 under 300 ms and within 2x the
bare app's, all 300 answered within 10 s; 50 stored, one channel post.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SIGNING_SECRET = "bench-signing-secret"
BOT_TOKEN = "xoxb-test-token"
BROADCAST = "CBROADCAST"
SUPPORT = "CSUPPORT"
TEAM = "T0001"
# A Thursday in office hours, as in the tests.
AT = "2026-11-26T10:00"
START_TIMEOUT = 60.0
ANSWER_TIMEOUT = 60.0
QUESTIONS = ["vem ringer jag?", "hur efterregistrerar jag?", "status", "vad gör jag med nycklarna?",
             "hjälp", "när är nästa planerade driftstopp?"]
REPORT = "jag vill göra en felanmälan: TES går inte att öppna för någon på enheten sedan kl 8, jag är på {unit}"
UNITS = ["Hemtjänst Ryd", "Hemtjänst Berga", "Hemtjänst Lambohov", "Hemtjänst Ekholmen", "Nattpatrullen"]
WARM_UP = 10


# -- the fake Slack Web API, in a process of its own -------------------------------------------

def run_fake() -> int:
    """`--role fake`: serve FakeSlack until standard input closes; print the port first."""
    from http.server import ThreadingHTTPServer

    import fakeslack

    # Slack takes any number of connections; the standard library's backlog of 5 would not.
    ThreadingHTTPServer.request_queue_size = 256
    fake = fakeslack.FakeSlack(bot_token=BOT_TOKEN).start()

    def add_users(call):
        for user_id, name in call.json("users", []):
            fake.add_user(user_id, name)
        return {"ok": True}

    def stats(call):
        # Called under the fake's lock: read its records directly.
        posts: dict[str, list[float]] = {}
        updates: dict[str, int] = {}
        for c in fake._calls:
            if not c.ok:
                continue
            if c.method == "chat.postMessage":
                posts.setdefault(c.response["channel"], []).append(c.at)
            elif c.method == "chat.update":
                updates[c.response["channel"]] = updates.get(c.response["channel"], 0) + 1
        return {"ok": True, "posts": posts, "updates": updates}

    def texts(call):
        wanted = set(call.json("channels", []))
        found: dict[str, list[str]] = {}
        for c in fake._calls:
            if c.ok and c.method == "chat.postMessage" and c.response["channel"] in wanted:
                found.setdefault(c.response["channel"], []).append(c.params.get("text", ""))
        return {"ok": True, "texts": found}

    fake.on("bench.add_users", add_users)
    fake.on("bench.texts", texts)
    fake.on("bench.stats", stats)
    print(fake.port, flush=True)
    sys.stdin.read()
    fake.stop()
    return 0


class FakeClient:
    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}/api/"

    def call(self, method: str, **params) -> dict:
        request = urllib.request.Request(self.url + method, data=json.dumps(params).encode(), method="POST",
                                         headers={"Content-Type": "application/json",
                                                  "Authorization": f"Bearer {BOT_TOKEN}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def add_users(self, users: list[tuple[str, str]]) -> None:
        self.call("bench.add_users", users=users)

    def stats(self) -> dict:
        return self.call("bench.stats")

    def texts(self, channels: list[str]) -> dict[str, list[str]]:
        return self.call("bench.texts", channels=channels)["texts"]


# -- the bare Bolt app --------------------------------------------------------------------------

def run_bare(slack_url: str) -> int:
    """`--role bare`: a Bolt app that answers every DM with one chat.postMessage, on driftbot's HTTP server."""
    import signal

    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.adapters.slack.http_server import SlackHTTPServer

    app = App(client=WebClient(token=BOT_TOKEN, base_url=slack_url), signing_secret=SIGNING_SECRET,
              process_before_response=False)

    @app.event("message")
    def answer(event, client):
        client.chat_postMessage(channel=event["channel"], text="Kontakta Användarstöd.")

    server = SlackHTTPServer(("127.0.0.1", 0), signing_secret=SIGNING_SECRET, read_timeout=10)
    server.app = app
    server.start_in_thread()
    print(server.port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    server.shutdown_if_serving()
    server.server_close()
    return 0


# -- processes ----------------------------------------------------------------------------------

def _clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("DRIFTBOT_", "SLACK_"))}


def start_role(role: str, *args: str) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([sys.executable, __file__, "--role", role, *args], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, env=_clean_env(), cwd=ROOT)
    line = process.stdout.readline()
    if not line.strip().isdigit():
        process.kill()
        raise SystemExit(f"burst: the {role} process did not start")
    return process, int(line)


def start_serve(slack_port: int, db_url: str) -> tuple[subprocess.Popen, int, list[str]]:
    env = _clean_env()
    env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "DRIFTBOT_SLACK_API_URL": f"http://127.0.0.1:{slack_port}/api/",
                "DRIFTBOT_BROADCAST_CHANNEL": BROADCAST, "DRIFTBOT_SUPPORT_CHANNEL": SUPPORT,
                "DRIFTBOT_DATABASE_URL": db_url, "DRIFTBOT_LOG_LEVEL": "WARNING"})
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", "0",
                                "--at", AT, "--outbox-interval", "0.5"], cwd=ROOT, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    port: list[int] = []
    ready = threading.Event()

    def drain():
        for line in process.stderr:
            lines.append(line)
            if "serving Slack over HTTP on 127.0.0.1:" in line and not ready.is_set():
                port.append(int(line.split("127.0.0.1:")[1].split()[0]))
                ready.set()
        ready.set()

    threading.Thread(target=drain, daemon=True).start()
    if not ready.wait(START_TIMEOUT) or not port:
        process.kill()
        raise SystemExit("burst: driftbot serve did not start:\n" + "".join(lines))
    return process, port[0], lines


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def rss_mib(pid: int) -> tuple[float, float]:
    """Resident memory now and at its peak (VmHWM), in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


# -- Slack's side ---------------------------------------------------------------------------------

FIRST_NAMES = ["Anna", "Erik", "Fatima", "Johan", "Maria", "Ali", "Karin", "Omar", "Lena", "Sara"]
LAST_NAMES = ["Berg", "Lind", "Hassan", "Ek", "Holm", "Said", "Ström", "Nilsson", "Kaya", "Ahmed"]


def person_name(i: int) -> str:
    """A person's name, as a care worker's profile has it: a profile with digits in it is a shared
    device's, and driftbot then asks for the reporter's name, which this benchmark does not answer."""
    return f"{FIRST_NAMES[i % 10]} {LAST_NAMES[(i // 10) % 10]}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far: the work per message, which unlike latency
    hardly depends on what else the machine is doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _signed_event(event: dict) -> tuple[bytes, dict]:
    from slack_sdk.signature import SignatureVerifier

    envelope = {"token": "legacy", "team_id": TEAM, "api_app_id": "ABOT", "type": "event_callback",
                "event_id": "Ev" + uuid.uuid4().hex[:16], "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}]}
    body = json.dumps(envelope)
    ts = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)}
    return body.encode(), headers


def _dm(user: str, text: str) -> dict:
    ts = f"{time.time():.6f}"
    return {"type": "message", "channel": "D" + user, "channel_type": "im", "user": user, "text": text,
            "ts": ts, "event_ts": ts, "client_msg_id": uuid.uuid4().hex, "team": TEAM}


class Sender:
    """One person's client connection (kept alive, as Slack's are)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)

    def post(self, event: dict) -> tuple[float, float, int]:
        """(sent at, ack latency in seconds, status)."""
        body, headers = _signed_event(event)
        for attempt in range(2):  # a kept-alive connection the server closed is opened again once
            started = time.monotonic()
            try:
                self.conn.request("POST", "/slack/events", body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
                return started, time.monotonic() - started, response.status
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
                if attempt:
                    return started, time.monotonic() - started, 0
        raise AssertionError("unreachable")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def wait_posts(fake: FakeClient, wanted: dict[str, int], timeout: float = ANSWER_TIMEOUT) -> dict[str, list[float]]:
    """Poll until each DM channel has its number of posts (or the timeout); the post times per channel."""
    deadline = time.monotonic() + timeout
    while True:
        posts = fake.stats()["posts"]
        if all(len(posts.get(ch, [])) >= n for ch, n in wanted.items()) or time.monotonic() > deadline:
            return {ch: posts.get(ch, []) for ch in wanted}
        time.sleep(0.05)


def _send_all(port: int, users: list[str], counts: list[int], start_at: float) -> list[list[tuple[float, float, int]]]:
    """In a client process: one thread per sender, each sending its messages one ack after another."""
    results: list[list[tuple[float, float, int]]] = [[] for _ in users]

    def run(index: int) -> None:
        sender = Sender(port)
        time.sleep(max(0.0, start_at - time.monotonic()))
        for k in range(counts[index]):
            results[index].append(sender.post(_dm(users[index], QUESTIONS[k % len(QUESTIONS)])))
        sender.conn.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(users))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _send_all_async(port: int, users: list[str], counts: list[int], start_at: float
                    ) -> list[list[tuple[float, float, int]]]:
    """In a client process: every sender a task on one event loop, with its own kept-alive
    connection, sending its next message as soon as the previous one is acknowledged.

    Every request is built and signed before the first is sent (Slack's signatures are valid
    for five minutes), so the client does nothing during the burst but write and read: the
    latency measured is the server's, not the client's own wait for a core or its interpreter
    lock (what five processes of ten threads each, signing as they go, added on two cores)."""
    import asyncio

    prepared = [[_request_bytes(port, *_signed_event(_dm(user, QUESTIONS[k % len(QUESTIONS)])))
                 for k in range(count)] for user, count in zip(users, counts)]
    results: list[list[tuple[float, float, int]]] = [[] for _ in users]

    async def read_response(reader) -> int:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        length = 0
        for line in lines[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == "content-length":
                length = int(value.strip())
        if length:
            await reader.readexactly(length)
        return int(lines[0].split()[1])

    async def sender(index: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        for request in prepared[index]:
            started = time.monotonic()
            try:
                writer.write(request)
                status = await asyncio.wait_for(read_response(reader), 15)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError):
                status = 0
            results[index].append((started, time.monotonic() - started, status))
            if status == 0:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()

    async def run() -> None:
        await asyncio.gather(*(sender(i) for i in range(len(users))))

    asyncio.run(run())
    return results


def _request_bytes(port: int, body: bytes, headers: dict) -> bytes:
    lines = [f"POST /slack/events HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(body)}",
             *(f"{key}: {value}" for key, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def dm_burst(port: int, fake: FakeClient, senders: int, messages: int, tag: str, processes: int = 5,
             client: str = "asyncio") -> dict:
    users = [f"U{tag}{i:03d}" for i in range(senders)]
    fake.add_users([(u, person_name(i)) for i, u in enumerate(users)])
    per_sender = [messages // senders + (1 if i < messages % senders else 0) for i in range(senders)]
    # The senders run in processes of their own, apart from this one (which polls the fake).
    # "threads": spread over `processes` processes of threads, as Slack's are not one Python
    # interpreter (50 threads in one process would wait for its interpreter lock and time that as
    # ack latency). "asyncio": one process, one event loop, every request signed beforehand.
    from concurrent.futures import ProcessPoolExecutor

    if client == "asyncio":
        processes, send = 1, _send_all_async
    else:
        send = _send_all
    chunks = [list(range(senders))[i::processes] for i in range(processes)]
    start_at = time.monotonic() + 1.0 + 0.002 * messages  # every process starts sending at once
    with ProcessPoolExecutor(max_workers=processes) as pool:
        futures = [pool.submit(send, port, [users[i] for i in chunk], [per_sender[i] for i in chunk], start_at)
                   for chunk in chunks]
        results: list[list[tuple[float, float, int]]] = [[] for _ in users]
        for chunk, future in zip(chunks, futures):
            for i, got in zip(chunk, future.result(timeout=120)):
                results[i] = got
    first_sent = min(r[0] for rs in results for r in rs)
    wanted = {"D" + u: n for u, n in zip(users, per_sender)}
    posts = wait_posts(fake, wanted)
    acks = [r[1] for rs in results for r in rs]
    statuses = [r[2] for rs in results for r in rs]
    answered = sum(min(len(posts["D" + u]), n) for u, n in zip(users, per_sender))
    # The k-th answer in a DM is the k-th message's (a conversation is answered in order).
    latencies = [posts["D" + u][k] - results[i][k][0] for i, u in enumerate(users)
                 for k in range(min(len(posts["D" + u]), per_sender[i]))]
    last = max((t for ch in posts.values() for t in ch), default=first_sent)
    return {"messages": len(acks), "acknowledged": statuses.count(200),
            "ack_ms": {"p50": percentile(acks, 50) * 1000, "p95": percentile(acks, 95) * 1000,
                       "p99": percentile(acks, 99) * 1000, "max": max(acks) * 1000},
            "answered": answered, "all_answered_s": last - first_sent if answered == messages else None,
            "answer_ms": {"p50": percentile(latencies, 50) * 1000, "p99": percentile(latencies, 99) * 1000}}


def wait_prompt(fake: FakeClient, channel: str, patterns: list, seen: int, timeout: float = ANSWER_TIMEOUT) -> list[str]:
    """Poll until `channel` has more than `seen` posts matching one of `patterns` (compiled regexes);
    the matching posts' texts (empty on timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        matching = [t for t in fake.texts([channel]).get(channel, []) if any(p.search(t) for p in patterns)]
        if len(matching) > seen:
            return matching
        time.sleep(0.1)
    return []


def reports_burst(port: int, fake: FakeClient, db_url: str, count: int, tag: str) -> dict:
    import re

    from bot.content import load_content

    # What the bot says is content: the summary's question and the receipt are read from it.
    dialog = load_content().dialog_for("sv")
    confirm = re.compile(re.escape(dialog.confirm))
    # A known outage is answered with an offer to add one's report.
    add = re.compile(re.escape(load_content().answers_for("sv").situation.known.add_report))
    receipt = re.compile(re.escape(dialog.receipt).replace(re.escape("{id}"), r"(\d+)"))
    users = [f"U{tag}{i:03d}" for i in range(count)]
    fake.add_users([(u, person_name(i)) for i, u in enumerate(users)])
    barrier = threading.Barrier(count)
    broadcast_before = len(fake.stats()["posts"].get(BROADCAST, []))
    statuses: list[int] = []

    def run(index: int) -> None:
        sender = Sender(port)
        channel = "D" + users[index]
        barrier.wait()
        text, seen = REPORT.format(unit=UNITS[index % len(UNITS)]), 0
        for _ in range(4):  # as a person would: "ja" to each question until the receipt comes
            statuses.append(sender.post(_dm(users[index], text))[2])
            prompts = wait_prompt(fake, channel, [confirm, add, receipt], seen)
            if not prompts or receipt.search(prompts[-1]):
                break
            text, seen = "ja", len(prompts)
        sender.conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(2 * ANSWER_TIMEOUT + 10)
    elapsed = time.monotonic() - started
    # Let the outbox finish editing the channel message (bounded).
    deadline, last, settled = time.monotonic() + 15, None, 0
    while time.monotonic() < deadline and settled < 4:
        now = fake.stats()["updates"].get(BROADCAST, 0)
        settled = settled + 1 if now == last else 0
        last = now
        time.sleep(0.25)
    stats = fake.stats()
    posted = fake.texts(["D" + u for u in users])
    receipt_ids = {m.group(1) for texts in posted.values() for t in texts for m in [receipt.search(t)] if m}
    others = [texts[-1][:120] for texts in posted.values() if not any(receipt.search(t) for t in texts)]
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT incident_id FROM reports WHERE user_id LIKE :p"),
                            {"p": f"U{tag}%"}).all()
    engine.dispose()
    return {"reports": count, "acknowledged": statuses.count(200), "receipts": len(receipt_ids),
            "without_receipt": others[:5], "stored": len(rows), "outages": len({r[0] for r in rows}),
            "broadcast_posts": len(stats["posts"].get(BROADCAST, [])) - broadcast_before,
            "broadcast_updates": stats["updates"].get(BROADCAST, 0), "seconds": elapsed}


def warm_up(port: int, fake: FakeClient, tag: str) -> None:
    user = f"U{tag}WARM"
    fake.add_users([(user, "Värm Upp")])
    sender = Sender(port)
    for k in range(WARM_UP):
        sender.post(_dm(user, QUESTIONS[k % len(QUESTIONS)]))
    wait_posts(fake, {"D" + user: WARM_UP})
    sender.conn.close()


# -- the run ----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--role", choices=("fake", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--slack-url", help=argparse.SUPPRESS)
    parser.add_argument("--db", help="database URL for driftbot (default: a fresh SQLite file)")
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1, help="DM bursts per app, alternating (default 1)")
    parser.add_argument("--client", choices=("asyncio", "threads"), default="asyncio",
                        help="the load generator: one asyncio process with every request signed "
                             "beforehand (default), or --client-processes processes of threads signing as they go")
    parser.add_argument("--client-processes", type=int, default=5,
                        help="with --client threads: processes the senders are spread over (default 5)")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    args = parser.parse_args(argv)
    if args.role == "fake":
        return run_fake()
    if args.role == "bare":
        return run_bare(args.slack_url)

    fake_process, fake_port = start_role("fake")
    fake = FakeClient(fake_port)
    tmp = tempfile.TemporaryDirectory(prefix="driftbot-burst-")
    db_url = args.db or f"sqlite:///{tmp.name}/driftbot.db"
    out: dict = {"load_before": os.getloadavg()[0], "db": db_url.split("://")[0], "bare": [], "driftbot": []}
    try:
        bare, bare_port = start_role("bare", "--slack-url", fake.url)
        serve, serve_port, serve_log = start_serve(fake_port, db_url)
        try:
            time.sleep(1.0)
            out["rss_at_rest_mib"] = rss_mib(serve.pid)[0]
            warm_up(bare_port, fake, "BW")
            warm_up(serve_port, fake, "DW")
            for round_ in range(args.rounds):
                for name, process, port, tag in (("bare", bare, bare_port, "B"), ("driftbot", serve, serve_port, "D")):
                    cpu = cpu_seconds(process.pid)
                    result = dm_burst(port, fake, args.senders, args.messages, f"{tag}{round_}", args.client_processes,
                                      args.client)
                    result["cpu_ms_per_message"] = (cpu_seconds(process.pid) - cpu) * 1000 / args.messages
                    out[name].append(result)
            out["rss_after_burst_mib"] = rss_mib(serve.pid)[0]
            out["reports"] = reports_burst(serve_port, fake, db_url, args.reports, "R")
            out["rss_after_reports_mib"], out["rss_peak_mib"] = rss_mib(serve.pid)
        finally:
            stop(bare)
            stop(serve)
        errors = [line for line in serve_log if " ERROR " in line or "Traceback" in line]
        out["serve_errors_logged"] = len(errors)
    finally:
        fake_process.stdin.close()
        fake_process.wait(10)
        tmp.cleanup()
    out["load_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(report(out, args))
    return 0


def report(out: dict, args) -> str:
    generator = ("one asyncio client process, requests signed beforehand" if args.client == "asyncio"
                 else f"{args.client_processes} client processes of threads")
    lines = [f"{args.messages} DMs from {args.senders} concurrent senders ({generator}), "
             f"{len(out['driftbot'])} round(s); "
             f"driftbot on {out['db']}; load average {out['load_before']:.2f} before, {out['load_after']:.2f} after",
             "", "| | ack p50 | ack p95 | ack p99 | ack max | acknowledged | answered | all answered in | answer p50 | answer p99 "
             "| CPU per message |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name in ("bare", "driftbot"):
        for i, r in enumerate(out[name]):
            a, w = r["ack_ms"], r["answer_ms"]
            done = f"{r['all_answered_s']:.2f} s" if r["all_answered_s"] is not None else "not all"
            label = "bare Bolt app" if name == "bare" else "driftbot serve"
            lines.append(f"| {label} (round {i + 1}) | {a['p50']:.0f} ms | {a['p95']:.0f} ms | {a['p99']:.0f} ms | "
                         f"{a['max']:.0f} ms | {r['acknowledged']}/{r['messages']} | {r['answered']}/{r['messages']} | "
                         f"{done} | {w['p50']:.0f} ms | {w['p99']:.0f} ms | {r['cpu_ms_per_message']:.1f} ms |")
    r = out["reports"]
    lines += ["", f"{r['reports']} reports of one TES outage at once through DMs: {r['stored']} stored in "
              f"{r['outages']} outage(s), {r['receipts']} receipts, {r['broadcast_posts']} post(s) to the broadcast "
              f"channel ({r['broadcast_updates']} edits of it), {r['seconds']:.1f} s in all."
              + (f" Last message where no receipt came: {r['without_receipt']!r}" if r["without_receipt"] else ""),
              "", f"RSS of serve: {out['rss_at_rest_mib']:.0f} MiB at rest, {out['rss_after_burst_mib']:.0f} MiB "
              f"after the DM burst, {out['rss_after_reports_mib']:.0f} MiB after the reports "
              f"(peak {out['rss_peak_mib']:.0f} MiB). Errors in serve's log: {out['serve_errors_logged']}."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
