"""Fault injection (issue 10 item 11): Slack failing for a while, the database gone and back,
`kill -9` of `serve` mid-conversation and mid-delivery. Seconds of fault, not minutes.

Two things are asserted after every fault, the promises of the README's *Outages and notices*:

- Nothing confirmed to a person is lost: every receipt a person got ("Felanmälan nr 7 är
  sparad") names a report that is stored, for that person, once; every question is answered.
- Nothing is sent twice beyond the documented at-least-once window: a message appears twice
  only when Slack took it and its answer never came back (a call that hung after Slack had
  done the work, or a process killed after Slack took the post and before the "sent" mark),
  and then at most once more for each such call.

The database goes away twice over: a proxy that drops every connection and refuses new ones
(tests/faultproxy.py, a network gone), and a PostgreSQL server of the test's own stopped with
`pg_ctl stop -m fast` and started again.
"""
from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from fakeslack import FakeSlack
from slackapp import AT, SlackApp, dm, impatient, impatient_session, unique  # noqa: F401 (fixtures)

REPORT_MESSAGE = "jag vill göra en felanmälan: {system} går inte att öppna för någon på enheten sedan kl 8, jag är på Hemtjänst Ryd"


def _content():
    from bot.adapters.slack.texts import load_slack_texts
    from bot.content import load_content

    content = load_content()
    return content, load_slack_texts(content.directory, content.default_lang).for_lang("sv")


CONTENT, SLACK_TEXTS = _content()
DIALOG = CONTENT.dialog_for("sv")
RECEIPT = re.compile(re.escape(DIALOG.receipt).replace(re.escape("{id}"), r"(\d+)"))
CONFIRM = re.compile(re.escape(DIALOG.confirm))
COULD_NOT_SAVE = SLACK_TEXTS.messages.storage_unavailable.split("{", 1)[0].strip()


# -- what the people saw, and what is stored ------------------------------------------------------

def delivered(fake: FakeSlack, channel: str) -> list[str]:
    """The messages that reached `channel`, as the person's client shows them (each copy once)."""
    return [c.params.get("text", "") for c in fake.calls_to("chat.postMessage")
            if c.ok and c.response["channel"] == channel]


def answers(fake: FakeSlack, channel: str) -> list[str]:
    """Answers to "vem ringer jag?" (not the apology, which names the contact too)."""
    return [t for t in delivered(fake, channel) if "Användarstöd" in t and COULD_NOT_SAVE not in t]


def wait_until(condition, timeout: float = 15, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def wait_for_text(fake: FakeSlack, channel: str, pattern: re.Pattern, count: int = 1, timeout: float = 15) -> list[str]:
    return wait_until(lambda: (m := [t for t in delivered(fake, channel) if pattern.search(t)]) and len(m) >= count
                      and m, timeout, f"{pattern.pattern!r} in {channel}: {delivered(fake, channel)!r}")


def stored_reports(db_url: str, user: str) -> list:
    from bot.storage import Store
    from bot.storage.tables import ReportRow

    store = Store.connect(db_url)
    try:
        with store.session() as s:
            return list(s.scalars(select(ReportRow).where(ReportRow.user_id == user)))
    finally:
        store.engine.dispose()


def pending_replies(db_url: str) -> int:
    from sqlalchemy import func

    from bot.storage import Store
    from bot.storage.tables import NoticeRow

    store = Store.connect(db_url)
    try:
        with store.session() as s:
            return s.scalar(select(func.count()).select_from(NoticeRow).where(
                NoticeRow.kind == "reply", NoticeRow.state == "pending"))
    finally:
        store.engine.dispose()


def assert_confirmed_reports_stored_once(fake: FakeSlack, db_url: str, user: str) -> int:
    """Every receipt `user` got names one stored report of theirs, and they have no other."""
    numbers = {int(m.group(1)) for t in delivered(fake, "D" + user) for m in [RECEIPT.search(t)] if m}
    reports = stored_reports(db_url, user)
    assert len(numbers) == 1, delivered(fake, "D" + user)
    assert [r.id for r in reports] == sorted(numbers)
    return numbers.pop()


def report_through_the_dm(app: SlackApp, user: str, system: str = "TES") -> None:
    """The report conversation up to its summary (everything in one message, as staff write it)."""
    app.event(dm(user, REPORT_MESSAGE.format(system=system)))
    wait_for_text(app.fake, "D" + user, CONFIRM)


# -- Slack failing for a while -------------------------------------------------------------------

def test_slack_failing_in_every_way_loses_no_reply_and_repeats_only_what_slack_took(impatient):
    """On the server whose Slack calls give up after one second: 500s for a while, 429s with
    Retry-After, hangs, and a call Slack carries out but never answers; one person files a
    report through it all."""
    app, fake = impatient, impatient.fake
    outage, limited, hung, unanswered, reporter = (unique("U") for _ in range(5))
    for user in (outage, limited, hung, unanswered, reporter):
        fake.add_user(user, "Anna Berg")

    fake.fail_for("chat.postMessage", seconds=1.5, status=500)
    app.event(dm(outage, "vem ringer jag?"))
    app.event(dm(reporter, REPORT_MESSAGE.format(system="Treserva")))
    wait_for_text(fake, "D" + outage, re.compile("Användarstöd"))
    wait_for_text(fake, "D" + reporter, CONFIRM)

    fake.fail_next("chat.postMessage", status=429, retry_after=1, times=3)
    app.event(dm(limited, "vem ringer jag?"))
    app.event(dm(reporter, "ja"))
    wait_for_text(fake, "D" + limited, re.compile("Användarstöd"))
    wait_for_text(fake, "D" + reporter, RECEIPT)

    fake.hang_next("chat.postMessage", seconds=1.3, times=2)                 # Slack hangs, takes nothing
    app.event(dm(hung, "vem ringer jag?"))
    wait_for_text(fake, "D" + hung, re.compile("Användarstöd"))

    fake.hang_next("chat.postMessage", seconds=1.5, times=1, accept=True)    # Slack posts, never answers
    app.event(dm(unanswered, "vem ringer jag?"))
    wait_for_text(fake, "D" + unanswered, re.compile("Användarstöd"))
    wait_until(lambda: fake.hangs_left("chat.postMessage") == 0, what="the hang to begin")

    assert [len(delivered(fake, "D" + u)) for u in (outage, limited, hung)] == [1, 1, 1]
    # The one call Slack took without answering is the only way to a second copy.
    assert 1 <= len(delivered(fake, "D" + unanswered)) <= 2
    summary, receipt = delivered(fake, "D" + reporter)
    assert CONFIRM.search(summary) and RECEIPT.search(receipt)
    assert_confirmed_reports_stored_once(fake, app.db_url, reporter)


# -- kill -9 ----------------------------------------------------------------------------------------

@pytest.fixture
def crashing(tmp_path):
    """A `serve` of this test's own, and a way to kill -9 it and start it again on the same database."""
    fake = FakeSlack().start()
    db = tmp_path / "driftbot.db"
    apps = [SlackApp(fake, db).start()]

    def restart(at: str | None = None) -> SlackApp:
        old = apps[-1]
        old.process.kill()  # SIGKILL: no shutdown, no cleanup
        old.process.wait(10)
        apps.append(SlackApp(fake, db, args=("--at", at) if at else ()).start())
        return apps[-1]

    try:
        yield apps[0], restart
    finally:
        for app in apps:
            app.stop()
        fake.stop()


def test_kill_9_mid_conversation_resumes_the_report_and_files_it_once(crashing):
    app, restart = crashing
    user = unique("U")
    app.fake.add_user(user, "Omar Said")
    first = dm(user, REPORT_MESSAGE.format(system="TES"))
    _, event_id = app.event(first)
    wait_for_text(app.fake, "D" + user, CONFIRM)
    # Between two turns: the summary delivered and marked sent (killed inside that window, it
    # would be sent again after the lease: the next test).
    wait_until(lambda: pending_replies(app.db_url) == 0, what="the summary marked as sent")
    first_turn = len(delivered(app.fake, "D" + user))
    app = restart()
    # Slack delivering the first message again after the crash: the new process has no memory
    # of it, acknowledges it, and its claim in the database drops it.
    retried, _ = app.event(first, event_id=event_id, retry=1)
    assert retried.status == 200
    assert app.logged("was claimed before")
    app.event(dm(user, "ja"))                       # the dialog state outlived the process
    wait_for_text(app.fake, "D" + user, RECEIPT)
    assert_confirmed_reports_stored_once(app.fake, app.db_url, user)
    assert stored_reports(app.db_url, user)[0].reporter_name == "Omar Said"
    time.sleep(0.6)  # a few outbox passes: nothing else may come
    assert len(delivered(app.fake, "D" + user)) == first_turn + 1  # the summary's turn once, then the receipt


def test_kill_9_mid_delivery_delivers_after_the_lease_once_more_at_most(crashing):
    """Two replies in flight when the process dies: one Slack had already posted (its answer
    still on the way), one Slack had not taken. After the restart (the clock past the reply
    lease, a minute) both are delivered: the first is the documented duplicate, the second
    arrives once."""
    app, restart = crashing
    took, hung = unique("U"), unique("U")
    for user in (took, hung):
        app.fake.add_user(user, "Kim Ny")
    # Both hang longer than the client waits (10 s): the kill comes while they are in flight.
    app.fake.hang_next("chat.postMessage", seconds=30, times=1, accept=True)
    app.event(dm(took, "vem ringer jag?"))
    wait_until(lambda: delivered(app.fake, "D" + took), what="Slack to take the first reply")
    app.fake.hang_next("chat.postMessage", seconds=30, times=1)
    app.event(dm(hung, "vem ringer jag?"))
    wait_until(lambda: app.fake.hangs_left("chat.postMessage") == 0, what="the second reply to reach Slack")
    assert delivered(app.fake, "D" + hung) == []
    assert pending_replies(app.db_url) == 2   # both in the window: neither is marked sent

    later = (datetime.fromisoformat(AT) + timedelta(minutes=2)).isoformat()
    app = restart(at=later)
    wait_until(lambda: len(delivered(app.fake, "D" + took)) == 2 and delivered(app.fake, "D" + hung),
               what="both replies after the restart")
    time.sleep(1.0)  # a few more outbox passes (every 0.2 s): nothing more may come
    assert len(delivered(app.fake, "D" + took)) == 2   # posted before the kill, and once after the lease
    assert len(delivered(app.fake, "D" + hung)) == 1
    assert all("Användarstöd" in t for t in delivered(app.fake, "D" + took) + delivered(app.fake, "D" + hung))


# -- the database stopped and started ---------------------------------------------------------------

def _postgres_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: [int(x) for x in re.findall(r"\d+", p)])
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


class OwnPostgres:
    """A PostgreSQL server of this test's own (initdb in a temporary folder, loopback only), so it
    can really be stopped and started; as root (CI) it runs as the postgres user, as .ci/run does."""

    def __init__(self):
        self.bin = _postgres_bin()
        if self.bin is None:
            if os.environ.get("CI") == "true":
                pytest.fail("CI=true but no PostgreSQL binaries (initdb) are installed")
            pytest.skip("PostgreSQL binaries (initdb) are not installed")
        # Its own folder under /tmp: pytest's are private to root, where the postgres user cannot go.
        self.folder = tempfile.mkdtemp(prefix="driftbot-faults-pg-")
        self.data = os.path.join(self.folder, "data")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        command = [os.path.join(self.bin, tool), *args]
        if os.geteuid() == 0:
            command = ["su", "postgres", "-c", " ".join(shlex.quote(a) for a in command)]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-l", os.path.join(self.folder, "server.log"), "-w", "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:  # already stopped
            pass
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture(params=["connection cut", "server stopped"])
def database_outage(request):
    """`serve` on PostgreSQL, and (down, up): every connection cut and refused by a proxy
    (tests/faultproxy.py), or the server itself stopped (pg_ctl stop -m fast) and started again."""
    fake = FakeSlack().start()
    if request.param == "connection cut":
        from conftest import fresh_postgres_database
        from faultproxy import FaultProxy

        url = make_url(fresh_postgres_database())
        proxy = FaultProxy(url.host, url.port)
        app_url = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        direct, down, up, close = url.render_as_string(hide_password=False), proxy.down, proxy.up, proxy.close
    else:
        server = OwnPostgres()
        app_url = direct = server.url
        down, up, close = server.stop, server.start, server.remove
    app = SlackApp(fake, db_url=app_url).start()
    try:
        yield app, down, up, direct
    finally:
        app.stop()
        fake.stop()
        close()


def test_postgres_gone_mid_run_loses_nothing_confirmed_and_files_once(database_outage):
    """A report waiting for its "ja" and a question, while PostgreSQL is away: the people are told
    it could not be saved; afterwards Slack's retries (of what was refused) and the person's
    own retry (of what was acknowledged before anyone knew) are answered and filed once."""
    app, down, up, direct_url = database_outage
    fake = app.fake
    reporter, asker = unique("U"), unique("U")
    for user in (reporter, asker):
        fake.add_user(user, "Anna Berg")
    report_through_the_dm(app, reporter, system="Treserva")

    down()
    yes = dm(reporter, "ja")
    confirmed, yes_id = app.event(yes)
    wait_for_text(fake, "D" + reporter, re.compile(re.escape(COULD_NOT_SAVE)))
    question = dm(asker, "vem ringer jag?")
    asked, question_id = app.event(question)
    assert asked.status == 503  # the database is known to be down by now: refused for Slack's retry
    wait_for_text(fake, "D" + asker, re.compile(re.escape(COULD_NOT_SAVE)))
    assert not any(RECEIPT.search(t) for t in delivered(fake, "D" + reporter))
    up()

    app.event(question, event_id=question_id, retry=1)
    if confirmed.status == 503:
        app.event(yes, event_id=yes_id, retry=1)       # Slack's retry
    else:
        assert confirmed.status == 200
        app.event(dm(reporter, "ja"))                  # the person, as told, writes again
    wait_until(lambda: answers(fake, "D" + asker), what="the answer to the question")
    wait_for_text(fake, "D" + reporter, RECEIPT)
    assert_confirmed_reports_stored_once(fake, direct_url, reporter)
    # The outage the report opened reaches the channel once, after the database is back.
    wait_until(lambda: delivered(fake, "CBROADCAST"), what="the channel notice")
    time.sleep(0.6)
    assert len(delivered(fake, "CBROADCAST")) == 1
    assert len(answers(fake, "D" + asker)) == 1
