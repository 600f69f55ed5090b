"""One conversation script through every channel: the terminal (the conversation layer in-process),
Slack (`driftbot serve` over signed HTTP) and Teams (the Agents SDK's TestAdapter) file the same report."""
import asyncio

from conversing import Talk
from slackapp import AT, dm, fake, last_post, slack, slack_session, stored_reports, unique  # noqa: F401
from teamsbot import TeamsHarness

SCRIPT = ["Jag vill felanmäla. Jag heter Omar Said på Hemtjänst Lambohov, Treserva går inte att öppna "
          "för någon på enheten sedan kl 7", "ja"]
FIELDS = ("reporter_name", "unit", "system", "scope", "description", "started_at", "contact")


def _fields(report) -> tuple:
    return tuple(getattr(report, name) for name in FIELDS)


def _terminal(tmp_path) -> tuple:
    talk = Talk(f"sqlite:///{tmp_path}/terminal.db", AT, user_id="omar")
    for line in SCRIPT:
        talk.say(line)
    assert "nr 1" in talk.replies[-1].text
    [report] = talk.store.reports()
    return _fields(report)


def _teams(tmp_path) -> tuple:
    teams = TeamsHarness(f"sqlite:///{tmp_path}/teams.db", at=AT)
    for line in SCRIPT:
        replies = asyncio.run(teams.send(line, name="O. S."))
    assert "nr 1" in replies[-1].text
    [report] = teams.runtime.store.reports()
    return _fields(report)


def test_the_terminal_slack_and_teams_file_the_same_report(tmp_path, slack, fake):
    user = unique("U")
    fake.add_user(user, "O. S.", locale="sv-SE")
    for count, line in enumerate(SCRIPT, start=1):
        slack.event(dm(user, line))
        answer = last_post(fake, "D" + user, count)
    assert "Felanmälan nr" in answer["text"]
    [slack_report] = stored_reports(slack, user)
    expected = _terminal(tmp_path)
    assert expected[0] == "Omar Said" and expected[2] == "treserva"
    assert _fields(slack_report) == expected
    assert _teams(tmp_path) == expected
