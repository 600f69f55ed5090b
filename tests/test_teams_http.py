"""`driftbot serve --teams` as a real process over real HTTP: activities POSTed to /api/messages,
replies and channel notices sent to a stand-in Teams service on loopback (anonymous mode)."""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from helpers import ROOT, run_cli
from teamsservice import TeamsService

ANONYMOUS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED"
CHANNEL = "19:driftstopp@thread.tacv2"
ADMIN = "00000000-0000-0000-0000-00000000ad01"


@pytest.fixture
def service():
    service = TeamsService().start()
    try:
        yield service
    finally:
        service.stop()


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DRIFTBOT_", "SLACK_", "CONNECTIONS__"))}
    return {**env, **extra}


class Served:
    def __init__(self, env: dict, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--teams", "--port", "0",
                                      "--host", "127.0.0.1", *args], cwd=ROOT, env=env, text=True,
                                     stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        line = self.proc.stderr.readline()
        assert "serving Teams on" in line, line + self.proc.stderr.read()
        self.port = int(line.split("127.0.0.1:")[1].split()[0])
        self.announce = line

    def post(self, activity: dict, headers: dict | None = None) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/messages", method="POST",
                                         data=json.dumps(activity).encode(),
                                         headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def get(self, path: str) -> tuple[int, dict]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
            return response.status, json.loads(response.read())

    def stop(self) -> int:
        self.proc.terminate()
        return self.proc.wait(timeout=20)


def _message(service_url: str, text: str, user: str = "u-1", n: int = 1) -> dict:
    return {"type": "message", "id": f"m-{n}", "channelId": "msteams", "serviceUrl": service_url, "text": text,
            "locale": "sv-SE", "from": {"id": f"29:{user}", "name": "Anna Lind", "aadObjectId": user},
            "recipient": {"id": "28:driftbot", "name": "driftbot"},
            "conversation": {"id": f"a:personal-{user}", "conversationType": "personal"}}


def test_messages_are_answered_through_the_teams_service_and_notices_posted_to_the_channel(tmp_path, service):
    env = _env(**{ANONYMOUS: "true", "DRIFTBOT_DATABASE_URL": f"sqlite:///{tmp_path}/t.db",
                  "DRIFTBOT_TEAMS_CHANNEL": CHANNEL, "DRIFTBOT_TEAMS_SERVICE_URL": service.url,
                  "DRIFTBOT_TEAMS_ADMINS": ADMIN})
    served = Served(env, "--at", "2026-11-26T10:00", "--outbox-interval", "0.2")
    try:
        assert "anonymous" in served.announce
        assert served.get("/healthz") == (200, {"ok": True})
        assert served.post(_message(service.url, "vem ringer jag")) in (200, 202)
        # (Typing indicators the SDK sends by itself during a slow turn go there too: messages only.)
        reply = service.wait_for(lambda c: c["method"] == "POST" and (c["body"] or {}).get("type") == "message"
                                 and "/v3/conversations/a:personal-u-1/activities" in c["path"])
        assert "Användarstöd" in reply["body"]["text"]
        assert reply["authorization"] is None                     # anonymous: no token sent
        assert served.post(_message(service.url, "start tes Appen är nere", user=ADMIN, n=2)) in (200, 202)
        post = service.wait_for(lambda c: c["method"] == "POST" and (c["body"] or {}).get("type") == "message"
                                and c["path"] == f"/v3/conversations/{CHANNEL}/activities")
        assert "TES" in post["body"]["text"] and "Appen är nere" in post["body"]["text"]
    finally:
        assert served.stop() in (0, -15)


def test_without_the_app_credentials_start_up_names_the_missing_variable(tmp_path):
    result = run_cli("serve", "--teams", "--port", "0", env=_env(DRIFTBOT_DATABASE_URL=f"sqlite:///{tmp_path}/t.db"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["driftbot: configuration error: CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID "
                     "is required for this command"]


def test_a_channel_without_its_service_url_is_named(tmp_path):
    result = run_cli("serve", "--teams", "--port", "0", env=_env(**{
        ANONYMOUS: "true", "DRIFTBOT_TEAMS_CHANNEL": CHANNEL, "DRIFTBOT_DATABASE_URL": f"sqlite:///{tmp_path}/t.db"}))
    assert result.returncode == 2 and "DRIFTBOT_TEAMS_SERVICE_URL" in result.stderr


def test_with_credentials_a_request_without_a_token_is_refused(tmp_path, service):
    env = _env(**{"CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": "11111111-1111-1111-1111-111111111111",
                  "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "not-a-real-secret",
                  "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": "22222222-2222-2222-2222-222222222222",
                  "DRIFTBOT_DATABASE_URL": f"sqlite:///{tmp_path}/t.db"})
    served = Served(env)
    try:
        assert "anonymous" not in served.announce
        assert served.get("/healthz") == (200, {"ok": True})    # outside the token check
        assert served.post(_message(service.url, "vem ringer jag")) == 401
        assert served.post(_message(service.url, "vem ringer jag"), {"Authorization": "Bearer forged"}) == 401
        assert service.calls == []                               # nothing was answered
    finally:
        served.stop()
