"""Every command checks all of the configuration at start: every content file (the routine's,
the notices', the Slack app's, the Teams bot's), and the database for the commands that use one; each mistake is
one line naming the file and field, or the variable."""
import socket

import pytest

from helpers import run_cli


def _one_line(result) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def _break(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("command,breakage,named", [
    (("ask", "hej"), lambda d: _break(d / "slack.sv.yaml", "lang: sv\nhome: [\n"), "slack.sv.yaml"),
    (("chat",), lambda d: _break(d / "notices.en.yaml", "lang: en\nnotices: {}\n"), "notices.en.yaml"),
    (("classify",), lambda d: (d / "units.yaml").unlink(), "units.yaml"),
    (("ask", "hej"), lambda d: (d / "answers.en.yaml").unlink(), "answers.en.yaml"),
    (("intents", "examples"), lambda d: (d / "dialog.en.yaml").unlink(), "dialog.en.yaml"),
    (("ask", "hej"), lambda d: _break(d / "teams.en.yaml", "lang: en\nmessages: {}\n"), "teams.en.yaml"),
])
def test_a_broken_or_missing_content_file_stops_every_command(content_copy, tmp_path, command, breakage, named):
    breakage(content_copy)
    result = run_cli(*command, env={"DRIFTBOT_CONTENT_DIR": str(content_copy),
                                    "DRIFTBOT_DATABASE_URL": f"sqlite:///{tmp_path}/d.db"}, input="")
    assert named in _one_line(result)


def test_an_unknown_database_url_names_the_variable():
    line = _one_line(run_cli("reports", "export", env={"DRIFTBOT_DATABASE_URL": "nosuch://x"}))
    assert line.startswith("driftbot: configuration error: DRIFTBOT_DATABASE_URL: ")
    line = _one_line(run_cli("reports", "export", "--db", "nosuch://x"))
    assert line.startswith("driftbot: configuration error: --db: ")


def test_an_unreachable_database_is_one_line():
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql+psycopg://driftbot@127.0.0.1:{port}/driftbot"
    line = _one_line(run_cli("outage", "list", env={"DRIFTBOT_DATABASE_URL": url}))
    assert line.startswith("driftbot: configuration error: DRIFTBOT_DATABASE_URL: cannot prepare the database")


def test_a_content_file_broken_after_a_passing_start_is_still_named(content_copy, tmp_path):
    # A folder that passed once is not validated again while unchanged (a stamp in the cache folder
    # saves `ask` the channels' text models); an edit after that is found all the same.
    env = {"DRIFTBOT_CONTENT_DIR": str(content_copy), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = run_cli("ask", "hej", env=env, input="")
    assert first.returncode == 0, first.stderr
    assert list((tmp_path / "cache" / "driftbot").glob("validated-*.ok"))
    _break(content_copy / "slack.sv.yaml", "lang: sv\nhome: [\n")
    assert "slack.sv.yaml" in _one_line(run_cli("ask", "hej", env=env, input=""))
