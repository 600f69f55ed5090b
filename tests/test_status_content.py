"""The status page's texts are content: a broken status.<lang>.yaml gives one line naming the file
and the field, at the start of every command; contact names and hours come from routine.yaml."""
import pytest

from bot.content import ContentError, load_content
from bot.status.texts import load_status_texts
from helpers import edit_yaml, run_cli_in_process


@pytest.mark.parametrize("file, change, field", [
    ("status.sv.yaml", lambda d: d["do_now"]["open"].pop("default"), "do_now.open.default"),
    ("status.en.yaml", lambda d: d["lines"].update(since="Since {telefon}"), "lines.since"),
    ("status.sv.yaml", lambda d: d["page"].update(contact="{open} till {stängning}"), "page.contact"),
])
def test_a_broken_status_file_names_file_and_field(content_copy, file, change, field):
    edit_yaml(content_copy / file, change)
    with pytest.raises(ContentError) as err:
        load_status_texts(load_content(content_copy))
    assert file in str(err.value) and field in str(err.value) and "\n" not in str(err.value)


def test_a_missing_status_file_stops_a_command_with_one_line(content_copy, monkeypatch, tmp_path):
    (content_copy / "status.en.yaml").unlink()
    monkeypatch.setenv("DRIFTBOT_CONTENT_DIR", str(content_copy))
    result = run_cli_in_process("audit", "--db", f"sqlite:///{tmp_path}/x.db")
    assert result.returncode == 2 and "status.en.yaml" in result.stderr and result.stderr.count("\n") == 1


def test_the_contact_line_names_the_routines_contacts_and_hours(content_copy):
    def rename(data):
        data["contacts"]["lkdata"]["name"] = "Jouren"
        data["support_hours"]["close"] = "15:30"

    edit_yaml(content_copy / "routine.yaml", rename)
    from zoneinfo import ZoneInfo

    from bot.status.view import StatusView

    line = StatusView(load_content(content_copy), ZoneInfo("Europe/Stockholm")).contact_line("sv")
    assert "08:00–15:30" in line and "Jouren, 013-20 70 00" in line
