"""The conversation and the Slack modal check a report's values through one table (bot/form.py).

Each case is one field's value, typed into the modal or given as the answer
when the conversation asks for that field. Both must accept it, or both must
refuse it: the modal with a field error, the conversation by asking again.
"""
import pytest

from bot.adapters.slack.report_form import FIELD_ACTION, parse_submission
from bot.adapters.slack.texts import load_slack_texts
from bot.clock import FixedClock, parse_at
from bot.engine import Engine
from bot.form import BY_NAME, FIELDS, REQUIRED, check_form
from bot.messages import Message
from bot.storage import Store

AT = "2026-11-26T10:00"
# Valid values for every field, as the modal takes them (a choice is its id) ...
FORM = {"reporter_name": "Anna Lind", "unit": "Hemtjänst Ryd", "system": "tes", "scope": "unit",
        "description": "Appen startar inte", "started_at": "07:30"}
# ... and as a person answers them in the conversation.
SAID = {"reporter_name": "Anna Lind", "unit": "Hemtjänst Ryd", "system": "TES", "scope": "hela enheten",
        "description": "Appen startar inte", "started_at": "07:30", "confirm": "ja"}

CASES = [
    ("reporter_name", "Anna Lind", True),
    ("reporter_name", "A" * 201, False),            # over the limit
    ("unit", "Hemtjänst Ryd", True),
    ("unit", "Hemtjänst " + "x" * 200, False),      # over the limit
    ("description", "nere", True),
    ("description", "ok", False),                   # too short to say what is wrong
    ("description", "Appen hänger " * 300, False),  # over the limit
    ("started_at", "07:30", True),
    ("started_at", "vet inte", True),               # optional: unknown is an answer
    ("started_at", "blomkål", False),               # not a time
]


def _view(values: dict) -> dict:
    state = {}
    for name, value in values.items():
        if BY_NAME[name].kind == "choice":
            state[name] = {FIELD_ACTION: {"type": "static_select", "selected_option": {"value": value}}}
        else:
            state[name] = {FIELD_ACTION: {"type": "plain_text_input", "value": value}}
    return {"state": {"values": state}}


def modal_accepts(content, field: str, value: str) -> bool:
    texts = load_slack_texts().for_lang("sv")
    now = parse_at(AT, content.tz)
    result = parse_submission(_view({**FORM, field: value}), texts, now, content.dialog_for("sv").redaction_marker)
    assert set(result.errors) <= {field}, result.errors   # the other, valid fields pass
    return field not in result.errors


def conversation_accepts(content, classifier, db_url: str, field: str, value: str) -> bool:
    clock = FixedClock(parse_at(AT, content.tz), content.tz)
    engine = Engine(content, classifier, clock, store=Store.connect(db_url))
    say = lambda text: engine.handle(Message(text=text, user_id="U1", source="test"))  # noqa: E731
    [reply] = say("jag vill felanmäla")
    for _ in range(8):
        if reply.awaiting == field:
            break
        [reply] = say(SAID[reply.awaiting])
    assert reply.awaiting == field, reply.text
    [after] = say(value)
    return after.awaiting != field     # asked again = refused


@pytest.mark.parametrize("field,value,valid", CASES, ids=[f"{f}-{v[:12]}" for f, v, _ in CASES])
def test_the_modal_and_the_conversation_accept_and_refuse_the_same(content, classifier, tmp_path,
                                                                   field, value, valid):
    assert modal_accepts(content, field, value) is valid
    assert conversation_accepts(content, classifier, f"sqlite:///{tmp_path}/f.db", field, value) is valid


def test_the_table_is_the_report_models_rules():
    from bot.reports import Report

    schema = Report.model_json_schema()["properties"]
    for f in FIELDS:
        if f.kind == "text":
            assert schema[f.name]["maxLength"] == f.max_length
            assert schema[f.name]["minLength"] == f.min_length
    assert set(REQUIRED) == set(Report.model_json_schema()["required"])


def test_a_form_check_redacts_before_it_reports_errors(content):
    marker = content.dialog_for("sv").redaction_marker
    checked = check_form({**FORM, "description": "brukare 19450312-1230 kommer inte in"},
                         parse_at(AT, content.tz), marker)
    assert checked.redacted and checked.report is not None
    assert "450312" not in checked.report.description
