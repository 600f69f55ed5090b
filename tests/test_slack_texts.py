"""content/slack.<lang>.yaml: every Slack string, validated; a mistake is one line naming file and field."""
import shutil
from pathlib import Path

import pytest

from bot.adapters.slack.texts import load_slack_texts
from bot.content import BUILTIN_CONTENT_DIR, ContentError
from helpers import run_cli


def test_both_languages_load_and_cover_every_system_and_scope():
    catalogue = load_slack_texts()
    assert set(catalogue.by_lang) == {"sv", "en"}
    for texts in catalogue.by_lang.values():
        assert set(texts.modal.systems) == {"tes", "treserva", "locks", "infrastructure", "other"}
        assert set(texts.modal.scopes) == {"single_user", "unit", "multiple_units", "unknown"}
    assert catalogue.for_lang("de").lang == "sv"  # unknown language: the default


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(BUILTIN_CONTENT_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def test_a_broken_file_names_file_and_field(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "slack.en.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('title: "Report a fault"', 'title: "Report a fault, please, now, quickly"'),
                    encoding="utf-8")
    with pytest.raises(ContentError) as exc:
        load_slack_texts(folder)
    message = str(exc.value)
    assert str(path) in message and "field modal.title" in message and "\n" not in message


def test_an_unknown_placeholder_is_refused(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "slack.sv.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('chosen: "Du valde: {label}"', 'chosen: "Du valde: {val}"'), encoding="utf-8")
    with pytest.raises(ContentError, match=r"field messages\.chosen: .*unknown placeholder"):
        load_slack_texts(folder)


def test_a_content_folder_without_slack_texts_uses_the_built_in_ones(tmp_path):
    folder = _copy(tmp_path)
    for path in folder.glob("slack.*.yaml"):
        path.unlink()
    assert load_slack_texts(folder).for_lang("sv").modal.title == "Rapportera fel"


def test_serve_stops_at_start_on_a_broken_file(tmp_path):
    from fakeslack import FakeSlack

    folder = _copy(tmp_path)
    (folder / "slack.sv.yaml").write_text("lang: sv\nhome: [\n", encoding="utf-8")
    with FakeSlack() as fake:
        result = run_cli("serve", "--port", "0", "--host", "127.0.0.1", env={
            "SLACK_BOT_TOKEN": fake.bot_token, "SLACK_SIGNING_SECRET": "s", "DRIFTBOT_BROADCAST_CHANNEL": "C1",
            "DRIFTBOT_SLACK_API_URL": fake.base_url, "DRIFTBOT_CONTENT_DIR": str(folder),
            "DRIFTBOT_DATABASE_URL": f"sqlite:///{tmp_path}/d.db"})
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("driftbot: content file ") and "slack.sv.yaml" in line


def test_the_admin_texts_are_checked_too(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "slack.en.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('There is no outage no. {id}.', 'There is no outage in {system}.'),
                    encoding="utf-8")
    with pytest.raises(ContentError, match=r"field commands\.refused_not_found: .*unknown placeholder"):
        load_slack_texts(folder)
    path.write_text(original.replace('    ongoing: "going on as planned"\n', ""), encoding="utf-8")
    with pytest.raises(ContentError, match=r"field home\.states: .*missing labels for: ongoing"):
        load_slack_texts(folder)
