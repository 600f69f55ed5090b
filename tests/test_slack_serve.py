"""`driftbot serve` start-up: configuration errors are one line naming the variable (exit 2); a clean stop."""
import socket

import pytest

from fakeslack import FakeSlack
from helpers import run_cli
from slackapp import SlackApp

BASE = {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": "s", "DRIFTBOT_BROADCAST_CHANNEL": "C1",
        "DRIFTBOT_SLACK_API_URL": "http://127.0.0.1:9/api/"}


def _without(*names: str, **extra: str) -> dict:
    return {**{k: v for k, v in BASE.items() if k not in names}, **extra}


def _one_line_error(result, variable: str) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert variable in lines[0]
    return lines[0]


@pytest.mark.parametrize("missing", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DRIFTBOT_BROADCAST_CHANNEL"])
def test_a_missing_variable_is_named(tmp_path, missing):
    env = _without(missing, DRIFTBOT_DATABASE_URL=f"sqlite:///{tmp_path}/d.db")
    line = _one_line_error(run_cli("serve", "--port", "0", env=env), missing)
    assert line == f"driftbot: configuration error: {missing} is required for this command"


def test_socket_mode_needs_no_signing_secret_but_a_broadcast_channel(tmp_path):
    env = _without("SLACK_SIGNING_SECRET", "DRIFTBOT_BROADCAST_CHANNEL", SLACK_APP_TOKEN="xapp-1")
    _one_line_error(run_cli("serve", env=env), "DRIFTBOT_BROADCAST_CHANNEL")


@pytest.mark.parametrize("variable,value", [("SLACK_BOT_TOKEN", "xoxp-a-user-token"), ("SLACK_APP_TOKEN", "xoxb-1"),
                                            ("DRIFTBOT_SLACK_API_URL", "slack.com/api")])
def test_a_malformed_variable_is_named(variable, value):
    _one_line_error(run_cli("serve", env={**BASE, variable: value}), variable)


def test_a_refused_token_is_named(tmp_path):
    with FakeSlack() as fake:
        env = {**BASE, "SLACK_BOT_TOKEN": "xoxb-revoked", "DRIFTBOT_SLACK_API_URL": fake.base_url,
               "DRIFTBOT_DATABASE_URL": f"sqlite:///{tmp_path}/d.db"}
        line = _one_line_error(run_cli("serve", "--port", "0", env=env), "SLACK_BOT_TOKEN")
        assert "invalid_auth" in line


def test_an_unreachable_api_is_named(tmp_path):
    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**BASE, "DRIFTBOT_SLACK_API_URL": f"http://127.0.0.1:{port}/api/",
           "DRIFTBOT_DATABASE_URL": f"sqlite:///{tmp_path}/d.db"}
    _one_line_error(run_cli("serve", "--port", "0", env=env), "DRIFTBOT_SLACK_API_URL")


def test_a_port_in_use_is_one_line(tmp_path):
    with FakeSlack() as fake, socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        env = {**BASE, "DRIFTBOT_SLACK_API_URL": fake.base_url, "DRIFTBOT_DATABASE_URL": f"sqlite:///{tmp_path}/d.db"}
        result = run_cli("serve", "--host", "127.0.0.1", "--port", str(taken.getsockname()[1]), env=env)
        _one_line_error(result, "--port")


def test_serves_health_and_stops_cleanly_on_sigterm(tmp_path):
    with FakeSlack() as fake:
        app = SlackApp(fake, tmp_path / "d.db").start()
        try:
            assert app.health().status == 200
            # auth.test at start: Bolt's and ours, both with the bot token.
            assert {c.token for c in fake.calls_to("auth.test")} == {fake.bot_token}
        finally:
            code = app.stop()
        assert code == 0, app.stderr
        assert "Traceback" not in app.stderr
