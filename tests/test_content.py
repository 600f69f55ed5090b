"""Content is data, validated at start; a mistake names the file and the field."""
import string

import pytest

from bot.answers import AnswerRenderer
from bot.clock import parse_at
from bot.content import ContentError, load_content
from helpers import edit_yaml, run_cli
from intents import INTENT_IDS




@pytest.mark.parametrize("file, change, field", [
    ("routine.yaml", lambda d: d["contacts"]["lkdata"].pop("phone"), "contacts.lkdata.phone"),
    ("routine.yaml", lambda d: d["support_hours"].update(open="25:00"), "support_hours.open"),
    ("routine.yaml", lambda d: d.update(timezone="Europe/Linkoping"), "timezone"),
    ("routine.yaml", lambda d: d["thresholds"].update(post_registration_hours=-1), "thresholds.post_registration_hours"),
    ("answers.sv.yaml", lambda d: d["intents"].pop("deviation"), "intents"),
    ("answers.sv.yaml", lambda d: d["intents"]["contact"].update(now="Ring {telefon}"), "intents.contact.now"),
    ("answers.en.yaml", lambda d: d["texts"]["reasons"].pop("sunday"), "texts.reasons.sunday"),
    ("phrasings.sv.yaml", lambda d: d.update(status=[]), "status"),
    ("phrasings.sv.yaml", lambda d: d.update(nonsense_intent=["x"]), "nonsense_intent"),
    ("social.yaml", lambda d: d["kinds"]["thanks"].pop("strip"), "kinds.thanks.strip"),
    ("social.yaml", lambda d: d["kinds"]["thanks"]["words"].append("Hej"), "kinds"),  # also a greeting
    # A claim of situations.yaml with no sentence to answer it, and one with an unknown circumstance.
    ("answers.en.yaml", lambda d: d["situation"]["claims"].pop("leave_handheld"), "situation.claims"),
    ("situations.yaml", lambda d: d["claims"]["keys"].update(unless=["at_night"]), "claims.keys.unless"),
])
def test_broken_content_names_file_and_field(content_copy, file, change, field):
    edit_yaml(content_copy / file, change)
    with pytest.raises(ContentError) as err:
        load_content(content_copy)
    message = str(err.value)
    assert file in message and field in message
    assert "\n" not in message


def test_common_words_must_be_folded_single_words(content_copy):
    path = content_copy / "common_words.txt"
    path.write_text("# a comment\nkostar\nlåset\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_content(content_copy)
    assert "common_words.txt line 3" in str(err.value) and "'laset'" in str(err.value)
    path.write_text("# a comment\nkostar  # why: not kastar\n\nmedan\n", encoding="utf-8")
    assert load_content(content_copy).common_words == {"kostar", "medan"}


def test_broken_content_through_the_cli_is_one_line(content_copy):
    (content_copy / "answers.en.yaml").write_text("lang: en\nintents: [oops\n", encoding="utf-8")
    result = run_cli("ask", "hej", env={"DRIFTBOT_CONTENT_DIR": str(content_copy)})
    assert result.returncode == 2
    assert "answers.en.yaml" in result.stderr and "line" in result.stderr
    assert "Traceback" not in result.stderr


def test_another_municipality_swaps_content(content_copy):
    edit_yaml(content_copy / "routine.yaml", lambda d: d["contacts"]["lkdata"].update(phone="010-123 45 00"))
    result = run_cli("ask", "--json", "--at", "2026-11-28T12:00", "vem ska jag ringa",
                     env={"DRIFTBOT_CONTENT_DIR": str(content_copy)})
    assert "010-123 45 00" in result.stdout and "013-20 70 00" not in result.stdout


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("intent", INTENT_IDS)
def test_every_intent_answered_in_both_languages(content, lang, intent):
    renderer = AnswerRenderer(content)
    for at in ("2026-11-26T10:00", "2026-11-28T02:00"):
        answer = renderer.render(intent, lang, parse_at(at, content.tz))
        assert answer.lang == lang
        assert answer.text.strip()
        assert not [f for _, f, _, _ in string.Formatter().parse(answer.text) if f], "unfilled placeholder"
        first_line = answer.text.splitlines()[0]
        assert len(first_line) <= 200, "the first line is what to do now: keep it short"
    if intent in ("contact", "outage_now", "report_fault"):
        assert answer.contact == "lkdata"


def test_english_and_swedish_differ(content):
    renderer = AnswerRenderer(content)
    at = parse_at("2026-11-26T10:00", content.tz)
    for intent in INTENT_IDS:
        assert renderer.render(intent, "sv", at).text != renderer.render(intent, "en", at).text


def test_no_routine_numbers_in_python():
    """Phone numbers, URLs and the routine's hours live in content/, not in code
    (string literals are checked; docstrings and comments may mention them)."""
    import ast
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    for path in list((root / "bot").rglob("*.py")) + list((root / "intents").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        literals = [node.value for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]
        for literal in literals:
            for needle in ("013-20", "linkoping.se", "Självbetjäningsportalen", "08:00", "16:00"):
                assert needle not in literal, f"{needle!r} hard-coded in {path}"
