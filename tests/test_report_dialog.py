"""The report conversation, as a user would have it, in-process through the conversation layer
(tests/conversing.py: the same flags and turn objects as `driftbot chat --json`, whose contract
tests/test_cli.py checks as a process)."""
import pytest

from conversing import ANSWERS, Chat, exported

AT = "2026-11-26T15:10"          # a Thursday, office hours
NIGHT = "2026-11-28T02:10"       # a Saturday night



def fill(chat: Chat, first: dict, answers: dict, limit: int = 12) -> dict:
    """Answer whatever the bot asks until it stops asking."""
    turn = first
    for _ in range(limit):
        if turn["awaiting"] is None:
            return turn
        turn = chat.say(answers[turn["awaiting"]])
    raise AssertionError(f"the dialog did not finish: {chat.turns}")


def answer_until(chat: Chat, turn: dict, field: str, answers: dict = ANSWERS) -> dict:
    """Answer the bot's questions until it asks for `field`; return that turn."""
    for _ in range(12):
        if turn["awaiting"] == field:
            return turn
        turn = chat.say(answers[turn["awaiting"]])
    raise AssertionError(f"the bot never asked for {field}: {chat.turns}")


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path}/dialog.db"


def test_step_by_step(db):
    with Chat(db, "--at", AT) as chat:
        first = chat.say("jag vill göra en felanmälan")
        assert first["intent"] == "report_fault"
        assert first["awaiting"] == "reporter_name"
        asked = []
        turn = first
        while turn["awaiting"]:
            asked.append(turn["awaiting"])
            turn = chat.say(ANSWERS[turn["awaiting"]])
    assert asked == ["reporter_name", "unit", "system", "scope", "description", "started_at", "confirm"]
    assert "nr 1" in turn["text"]
    assert "Användarstöd" in turn["text"].split("\n")[1]       # whom to contact now, office hours
    [report] = exported(db)
    assert report["reporter_name"] == "Anna Lind"
    assert report["unit"] == "Hemtjänst Ryd"                     # fuzzy-matched to the configured list
    assert report["system"] == "tes" and report["scope"] == "unit"
    assert report["description"] == "Appen loggar ut alla hela tiden"
    assert report["started_at"] == "2026-11-26T14:40:00+01:00"
    assert report["contact"] == "anvandarstod" and report["source"] == "terminal"


def test_everything_in_one_message_needs_only_a_confirmation(db):
    with Chat(db, "--at", NIGHT) as chat:
        turn = chat.say("Jag vill felanmäla. Jag heter Omar Said på Hemtjänst Lambohov, Treserva går inte att "
                        "öppna för någon på enheten sedan kl 14")
        assert turn["awaiting"] == "confirm"
        assert "Omar Said" in turn["text"] and "Hemtjänst Lambohov" in turn["text"]
        done = chat.say("ja")
    assert "013-20 70 00" in done["text"].split("\n")[1]          # Saturday night: LKDATA first
    [report] = exported(db)
    assert (report["reporter_name"], report["unit"], report["system"], report["scope"]) == \
        ("Omar Said", "Hemtjänst Lambohov", "treserva", "unit")
    assert report["description"].startswith("Treserva går inte att öppna")
    assert report["started_at"] == "2026-11-27T14:00:00+01:00"   # 14:00 the day before: never in the future
    assert report["contact"] == "lkdata"


def test_offer_after_outage_now_starts_the_report(db):
    with Chat(db, "--at", AT, "--user", "Sara Ek", "--unit", "Nattpatrullen") as chat:
        answer = chat.say("tes har hängt sig helt")
        assert answer["intent"] == "outage_now" and answer["options"]
        turn = chat.say("ja")
        assert turn["awaiting"] == "scope"           # name, unit (prefilled), system and description known
        turn = fill(chat, turn, {**ANSWERS, "scope": "bara jag", "started_at": "vet inte"})
    [report] = exported(db)
    assert (report["reporter_name"], report["unit"], report["system"], report["scope"]) == \
        ("Sara Ek", "Nattpatrullen", "tes", "single_user")
    assert report["started_at"] is None


def test_cancelled_stores_nothing(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("rapportera fel")
        chat.say("Anna Lind")
        turn = chat.say("avbryt")
        assert turn["awaiting"] is None and "avbruten" in turn["text"].lower()
        after = chat.say("vem ringer jag")
        assert after["intent"] == "contact"
    assert exported(db) == []


def test_correction_at_confirmation_changes_the_field(db):
    with Chat(db, "--at", AT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "confirm")
        turn = chat.say("nej, enheten är Hemtjänst Berga")
        assert turn["awaiting"] == "confirm" and "Hemtjänst Berga" in turn["text"]
        turn = chat.say("ändra namn")
        assert turn["awaiting"] == "reporter_name"
        turn = chat.say("Anna Lindqvist")
        assert turn["awaiting"] == "confirm" and "Anna Lindqvist" in turn["text"]
        chat.say("ja")
    [report] = exported(db)
    assert report["unit"] == "Hemtjänst Berga" and report["reporter_name"] == "Anna Lindqvist"


def test_side_question_mid_form_is_answered_and_the_form_goes_on(db):
    with Chat(db, "--at", NIGHT) as chat:
        chat.say("jag vill anmäla ett fel")
        turn = chat.say("Anna Lind")
        assert turn["awaiting"] == "unit"
        side = chat.say("vem ska jag ringa?")
        assert side["awaiting"] == "unit"                       # the form carries on
        assert "013-20 70 00" in side["text"]                   # and the question was answered
        assert side["intent"] == "contact"
        fill(chat, chat.say("Hemtjänst Ryd"), ANSWERS)
    [report] = exported(db)
    assert report["unit"] == "Hemtjänst Ryd"


def test_personnummer_in_the_description_is_never_stored(db, tmp_path):
    with Chat(db, "--at", AT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "description")
        turn = chat.say("Kan inte öppna dörren hos brukaren 19811218-9876 i TES")
        assert "personnummer" in turn["text"].lower()
        assert "9876" not in turn["text"]
        fill(chat, turn, ANSWERS)
    [report] = exported(db)
    assert "811218" not in report["description"] and "9876" not in report["description"]
    assert "borttaget" in report["description"]
    raw = (tmp_path / "dialog.db").read_bytes()
    for suffix in ("", "-wal"):
        path = tmp_path / f"dialog.db{suffix}"
        if path.exists():
            assert b"811218" not in path.read_bytes()
    assert raw


def test_phone_number_in_a_description_survives(db):
    with Chat(db, "--at", AT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "description")
        fill(chat, chat.say("Ringde 013-20 70 00 men ingen svarade, TES nere"), ANSWERS)
    assert "013-20 70 00" in exported(db)[0]["description"]


def test_unknown_unit_is_accepted_after_a_check(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("felanmälan")
        chat.say("Anna Lind")
        turn = chat.say("Dagverksamheten Solrosen")
        assert turn["awaiting"] == "unit" and "Solrosen" in turn["text"]
        turn = chat.say("ja")
        assert turn["awaiting"] == "system"
        fill(chat, turn, ANSWERS)
    assert exported(db)[0]["unit"] == "Dagverksamheten Solrosen"


def test_ambiguous_unit_offers_choices(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("felanmälan")
        chat.say("Anna Lind")
        turn = chat.say("lambohov")
        assert turn["awaiting"] == "unit"
        assert set(turn["options"]) >= {"Hemtjänst Lambohov", "Äldreboende Lambohov"}
        turn = chat.say(str(turn["options"].index("Äldreboende Lambohov") + 1))
        assert turn["awaiting"] == "system"
        fill(chat, turn, ANSWERS)
    assert exported(db)[0]["unit"] == "Äldreboende Lambohov"


def test_unit_prefilled_from_the_users_last_report(db):
    with Chat(db, "--at", AT, "--user", "Anna Lind") as chat:
        fill(chat, chat.say("felanmälan"), ANSWERS)
    with Chat(db, "--at", AT, "--user", "Anna Lind") as chat:
        turn = chat.say("jag vill göra en felanmälan om treserva")
        assert turn["awaiting"] == "scope"           # name from --user, unit from the last report
        fill(chat, turn, ANSWERS)
    reports = exported(db)
    assert [r["unit"] for r in reports] == ["Hemtjänst Ryd", "Hemtjänst Ryd"]
    assert reports[1]["system"] == "treserva"


def test_a_crash_mid_conversation_resumes_the_draft(db):
    chat = Chat(db, "--at", AT)
    chat.say("felanmälan")
    chat.say("Anna Lind")
    turn = chat.say("Hemtjänst Ryd")
    assert turn["awaiting"] == "system"
    chat.kill()                                      # no goodbye: the process dies mid-form
    with Chat(db, "--at", "2026-11-26T15:20") as again:
        turn = again.say("Treserva")
        assert turn["awaiting"] == "scope"           # it carried on where it was
        fill(again, turn, ANSWERS)
    [report] = exported(db)
    assert (report["reporter_name"], report["unit"], report["system"]) == ("Anna Lind", "Hemtjänst Ryd", "treserva")


def test_a_silent_draft_expires_with_a_note(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("felanmälan")
        chat.say("Anna Lind")
    with Chat(db, "--at", "2026-11-26T16:00") as later:
        turn = later.say("Hemtjänst Ryd")
        assert "30 minuter" in turn["text"]
        # The old draft is gone: the unit alone starts a new report, which asks the name again.
        assert turn["awaiting"] == "reporter_name"
    assert exported(db) == []


def test_english_conversation(db):
    with Chat(db, "--at", NIGHT) as chat:
        turn = chat.say("I need to report a fault")
        assert turn["awaiting"] == "reporter_name" and "name" in turn["text"].lower()
        turn = fill(chat, turn, {"reporter_name": "John Smith", "unit": "Nattpatrullen", "system": "TES",
                                 "scope": "only me", "description": "the app crashes when I open it",
                                 "started_at": "an hour ago", "confirm": "yes"})
    assert "saved" in turn["text"]
    [report] = exported(db)
    assert report["scope"] == "single_user" and report["started_at"] == "2026-11-28T01:10:00+01:00"


def test_no_to_an_unknown_unit_asks_again(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("felanmälan")
        chat.say("Anna Lind")
        turn = chat.say("Solrosen")
        assert turn["awaiting"] == "unit" and "Solrosen" in turn["text"]
        turn = chat.say("nej")
        assert turn["awaiting"] == "unit" and "nej" not in turn["text"].lower().split()
        turn = chat.say("Hemtjänst Ryd")
        assert turn["awaiting"] == "system"


def test_a_command_word_is_not_taken_for_a_name(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("felanmälan")
        turn = chat.say("rapportera")
        assert turn["awaiting"] == "reporter_name"
        turn = chat.say("Bo")
        assert turn["awaiting"] == "unit"


def test_an_unknown_start_reads_as_a_sentence_in_the_script(db):
    with Chat(db, "--at", AT, "--user", "Anna Lind") as chat:
        turn = chat.say("felanmälan")
        turn = fill(chat, turn, {**ANSWERS, "started_at": "vet inte",
                                 "description": "hej hjälp dörren går inte upp hos brukaren, appen bara snurrar"})
    script = turn["text"]
    assert "När felet började vet jag inte." in script and "började okänt" not in script
    assert "Dörren går inte upp" in script      # the description, a sentence, without the greeting


def test_a_name_keeps_its_apostrophe(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "reporter_name": "my name is Peter O'Neil"})
    assert exported(db)[0]["reporter_name"] == "Peter O'Neil"


# -- as staff answered in the benchmark sets (issue 9) ----------------------------------------------

def test_a_shared_devices_profile_name_is_not_the_reporters(db):
    with Chat(db, "--at", AT, "--user", "Hemtjänst Ryd Jobbmobil 3") as chat:
        first = chat.say("hej vill felanmäla")
        assert first["awaiting"] == "reporter_name"
        fill(chat, first, {**ANSWERS, "reporter_name": "Oskar Ek"})
    assert exported(db)[0]["reporter_name"] == "Oskar Ek"


@pytest.mark.parametrize("typed, unit", [
    ("ÄB skäggetorp", "Äldreboende Skäggetorp"),
    ("hemtj malmslät", "Hemtjänst Malmslätt"),
    ("hemsjukvardn", "Hemsjukvården"),
    ("home care Ryd", "Hemtjänst Ryd"),
    ("night patrol", "Nattpatrullen"),
])
def test_units_as_staff_shorten_and_translate_them(db, typed, unit):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "unit": typed})
    assert exported(db)[0]["unit"] == unit


def test_a_correction_said_in_passing_goes_to_its_field(db):
    with Chat(db, "--at", AT) as chat:
        first = chat.say("hej! tes startar inte sen 9. Anna Wallin")
        turn = first if first["awaiting"] else chat.say("ja")
        turn = answer_until(chat, turn, "unit")
        fill(chat, chat.say("eh sen 8 menar jag, inte 9"), {**ANSWERS, "unit": "hemtjänst innerstaden"})
    assert exported(db)[0]["started_at"].endswith("08:00:00+01:00")


def test_a_system_swap_without_a_correction_word(db):
    with Chat(db, "--at", AT) as chat:
        first = chat.say("Hej, jag vill felanmäla TES, Johanna Wiik, hemsjukvården")
        fill(chat, chat.say("det är treserva inte tes, sorry"), ANSWERS)
    assert exported(db)[0]["system"] == "treserva"


def test_a_time_after_the_offer_starts_the_report_with_both_messages(db):
    with Chat(db, "--at", AT) as chat:
        offered = chat.say("TES är nere för hela hemtjänst tannefors")
        assert offered["awaiting"] is None
        fill(chat, chat.say("sen 14"), ANSWERS)
    [report] = exported(db)
    assert report["unit"] == "Hemtjänst Tannefors" and report["started_at"].endswith("14:00:00+01:00")


def test_the_offer_stands_after_a_follow_up_question(db):
    with Chat(db, "--at", NIGHT) as chat:
        chat.say("appen har dött mitt i rundan, dörren hos brukaren går inte upp")
        follow_up = chat.say("ska jag ringa nån?")
        assert "013-20 70 00" in follow_up["text"]
        started = chat.say("ja")
        assert started["awaiting"] == "reporter_name"
        fill(chat, started, ANSWERS)
    assert exported(db)[0]["system"] == "tes"   # the fault said before the question


def test_a_name_corrected_in_the_same_answer_is_the_corrected_one(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "reporter_name": "Therese Bloom, nej stavfel, Therese Blom"})
    assert exported(db)[0]["reporter_name"] == "Therese Blom"


def test_added_to_the_description_at_the_summary_keeps_what_was_there(db):
    with Chat(db, "--at", AT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "confirm")
        summary = chat.say("lägg till i beskrivningen att felkoden är E-117")
        assert summary["awaiting"] == "confirm"
        chat.say("ja")
    description = exported(db)[0]["description"]
    assert ANSWERS["description"] in description and "E-117" in description


@pytest.mark.parametrize("said, scope", [("Treserva journalen öppnas inte, bara jag", "single_user"),
                                         ("ba ja", "single_user"), ("nån här", "unit")])
def test_scope_as_people_say_it(db, said, scope):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "scope": said})
    assert exported(db)[0]["scope"] == scope


@pytest.mark.parametrize("at, said, hour", [("2026-11-26T17:05", "typ kl 5", "17:00"), ("2026-11-26T21:10", "sju", "19:00")])
def test_a_bare_hour_is_the_most_recent_one(db, at, said, hour):
    with Chat(db, "--at", at) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "started_at": said})
    assert f"T{hour}:00" in exported(db)[0]["started_at"]


def test_a_report_sent_in_pieces_starts_with_the_introduction(db):
    with Chat(db, "--at", AT) as chat:
        assert chat.say("Ali Rezaei here")["awaiting"] == "unit"
        fill(chat, chat.say("Hemtjänst Linghem"), {**ANSWERS, "reporter_name": "x"})
    report = exported(db)[0]
    assert report["reporter_name"] == "Ali Rezaei" and report["unit"] == "Hemtjänst Linghem"


def test_i_mean_says_the_value_after_it(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "system": "TES. sorry no, I mean Treserva, not TES"})
    assert [r["system"] for r in exported(db)] == ["treserva"]


@pytest.mark.parametrize("opening, systems", [
    ("hej Kevin Ali hemtjänst ryd. tes-appen startar inte och de digitala låsen svarar inte heller", ["locks", "tes"]),
    ("God morgon. Lena Strand, Hemtjänst Sturefors. Ingen av oss kan öppna lås med TES", 1),
])
def test_two_systems_joined_as_two_faults_are_both_reported(db, opening, systems):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say(opening), ANSWERS)
    stored = sorted(r["system"] for r in exported(db))
    assert stored == systems if isinstance(systems, list) else len(stored) == systems   # (one fault: one report)


def test_a_description_saying_no_computers_is_no_correction(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "system": "nätverket", "description": "power cut, no computers no wifi"})
    assert exported(db)[0]["description"] == "power cut, no computers no wifi"


def test_night_staff_as_the_scope_is_no_start_time(db):
    with Chat(db, "--at", "2026-11-29T05:10") as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "scope": "alla oss på natten", "started_at": "runt fem"})
    assert "T05:00" in exported(db)[0]["started_at"]


def test_a_name_change_at_the_start_wins_over_the_unit_named_after_it(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("Hej, felanmälan. Jag heter Anders"),
             {**ANSWERS, "unit": "ändra namn till Anders Bergqvist förresten, finns flera Anders här. "
                                 "Enheten är hemtjänst vasastaden"})
    [report] = exported(db)
    assert (report["reporter_name"], report["unit"]) == ("Anders Bergqvist", "Hemtjänst Vasastaden")


def test_the_unit_is_wrong_at_the_summary_names_the_new_one(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("Hi, Sam Taylor from home care Berga. TES app shows a blank screen for all of us since 7:45")
        turn = chat.say("yes") if turn["awaiting"] is None else turn
        assert turn["awaiting"] == "confirm"           # name and unit came with the message
        turn = chat.say("wait, the unit is wrong, I'm at Ekholmen home care today, not Berga")
        assert "Hemtjänst Ekholmen" in turn["text"]
        chat.say("yes")
    assert exported(db)[0]["unit"] == "Hemtjänst Ekholmen"


def test_a_yes_with_a_personnummer_beside_it_files_without_it(db):
    with Chat(db, "--at", AT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "confirm")
        turn = chat.say("ja skicka. det gällde 19360530-1122 om ni behöver veta")
        assert turn["awaiting"] is None
    [report] = exported(db)
    assert "19360530" not in str(report)


def test_an_unknown_unit_in_the_opening_is_asked_to_be_confirmed_not_guessed(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("felanmälan låsen, Hemtjänst Vreta Kloster")
        turn = chat.say("Annika Dahl")
        assert turn["awaiting"] == "unit" and "Hemtjänst Vreta Kloster" in turn["text"]
        fill(chat, chat.say("nej, Hemtjänst Vreta Kloster, det är inte Ljungsbro"), ANSWERS)
    assert exported(db)[0]["unit"] == "Hemtjänst Vreta Kloster"


def test_a_description_that_only_repeats_name_and_unit_is_asked_for(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("Hello, report please. Treserva is broken. Lucas Meyer, Tannefors homecare")
        turn = fill(chat, turn, {**ANSWERS, "reporter_name": "Lucas Meyer", "unit": "Tannefors homecare",
                                 "description": "it logs me out when I open a client"})
    assert exported(db)[0]["description"] == "it logs me out when I open a client"


def test_a_description_corrected_while_the_unit_is_asked(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("Felanmäla: treserva kraschar"),
             {**ANSWERS, "unit": "förresten den kraschar inte, den fryser bara när jag ska spara en anteckning. "
                                 "Hemtjänst Linghem"})
    [report] = exported(db)
    assert report["unit"] == "Hemtjänst Linghem"
    assert report["description"].startswith("Den fryser bara") and "kraschar" not in report["description"]


def test_a_description_starting_with_no_is_the_description(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "description": "no network on the phone"})
    assert exported(db)[0]["description"] == "no network on the phone"


def test_a_name_spelt_anew_while_the_unit_is_asked(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("hej det är Eva Lindh, vill felanmäla")
        turn = chat.say("förlåt stavade fel, Eva Lind ska det va, utan h")
        assert turn["awaiting"] == "unit"
        fill(chat, turn, ANSWERS)
    assert exported(db)[0]["reporter_name"] == "Eva Lind"


def test_change_the_description_named_with_a_verb(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("Felanmälan: appen loggar ut mig hela tiden"),
             {**ANSWERS, "scope": "ändra beskrivningen, den loggar inte ut, den fryser när jag ska kvittera"})
    assert "fryser" in exported(db)[0]["description"]


def test_yesterday_in_a_description_is_no_start_time(db):
    with Chat(db, "--at", AT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "description")
        turn = chat.say("appen visar gamla besök från igår")
        assert turn["awaiting"] == "started_at"


def test_a_configured_units_name_with_more_after_it_is_an_unknown_unit(db):
    with Chat(db, "--at", NIGHT) as chat:
        turn = chat.say("låsen funkar inte hos brukaren, vill anmäla. Per Ek, Hemtjänst Ryd Norra")
        assert turn["awaiting"] == "unit" and "Hemtjänst Ryd Norra" in turn["text"]
        fill(chat, chat.say("ja"), ANSWERS)
    assert exported(db)[0]["unit"] == "Hemtjänst Ryd Norra"


@pytest.mark.parametrize("said", ["Lambohov har samma", "vi och hemtjänst lambohov", "hela området"])
def test_another_unit_sharing_the_fault_is_several_units(db, said):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "scope": said})
    assert exported(db)[0]["scope"] == "multiple_units"


@pytest.mark.parametrize("profile", ["Bettan 🌸", "Jojo"])
def test_a_nickname_profile_is_no_name_so_the_name_is_asked(db, profile):
    with Chat(db, "--at", AT, "--user", profile) as chat:
        assert chat.say("felanmälan")["awaiting"] == "reporter_name"


def test_a_first_name_of_the_profiles_name_keeps_the_profile(db):
    with Chat(db, "--at", AT, "--user", "Ahmed Hassan") as chat:
        fill(chat, chat.say("I'm Ahmed, the TES app is down, want to report it"), ANSWERS)
    assert exported(db)[0]["reporter_name"] == "Ahmed Hassan"


@pytest.mark.parametrize("smash", ["aaaaaaa", "jjjjjjjjj"])
def test_a_held_down_key_is_no_name(db, smash):
    with Chat(db, "--at", AT) as chat:
        chat.say("felanmälan")
        assert chat.say(smash)["awaiting"] == "reporter_name"


def test_a_name_with_the_unit_after_it_keeps_only_the_name(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("felanmälan")
        fill(chat, chat.say("Johanna Berg hemtj vasastan"), ANSWERS)
    [report] = exported(db)
    assert (report["reporter_name"], report["unit"]) == ("Johanna Berg", "Hemtjänst Vasastaden")


def test_a_time_written_with_a_comma(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "started_at": "14,20"})
    assert exported(db)[0]["started_at"] == "2026-11-26T14:20:00+01:00"


@pytest.mark.parametrize("typed, unit", [("hemtjänst vasa", "Hemtjänst Vasastaden"),
                                         ("Tanneforsgruppen", "Hemtjänst Tannefors")])
def test_a_unit_shortened_to_its_start(db, typed, unit):
    with Chat(db, "--at", AT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "unit")
        turn = chat.say(typed)
        turn = chat.say("ja") if turn["awaiting"] == "unit" else turn
        fill(chat, turn, ANSWERS)
    assert exported(db)[0]["unit"] == unit


def test_a_second_system_named_at_the_summary_is_added(db):
    with Chat(db, "--at", AT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "confirm")
        turn = chat.say("nej, treserva ligger också nere")
        fill(chat, turn, ANSWERS)
    assert sorted(r["system"] for r in exported(db)) == ["tes", "treserva"]


def test_one_system_not_working_either_is_two_faults(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("Report: TES is down and Treserva isn't working either. Sam Berg, Hemtjänst Ryd"), ANSWERS)
    assert sorted(r["system"] for r in exported(db)) == ["tes", "treserva"]


def test_computers_are_infrastructure(db):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), {**ANSWERS, "system": "datorerna"})
    assert exported(db)[0]["system"] == "infrastructure"


def test_an_exclamation_is_no_name(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("this is ridiculous, the TES app is down again, I want to report it")
        assert turn["awaiting"] == "reporter_name"


@pytest.mark.parametrize("said", ["inte tes utan treserva! sorry", "it's treserva not TES"])
def test_a_system_swapped_at_the_summary_replaces_the_first(db, said):
    with Chat(db, "--at", AT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "confirm")
        fill(chat, chat.say(said), ANSWERS)
    assert [r["system"] for r in exported(db)] == ["treserva"]


@pytest.mark.parametrize("opening, name", [
    # A first name alone: the surname is asked once, by that name, and added to it.
    ("Hej! Malin här på Hemtjänst Skäggetorp, TES-appen har legat nere för hela gruppen sen sju", "Malin Lind"),
    ("hej det är Omar från nattpatrullen, Omar Khalil alltså. låsen går inte att öppna, för alla, sen 20.45",
     "Omar Khalil"),
])
def test_a_first_name_with_where_they_are_is_the_name(db, opening, name):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say(opening)
        if turn["awaiting"] == "reporter_name":
            assert "Malin" in turn["text"]
            turn = chat.say("Lind")
        fill(chat, turn, ANSWERS)
    assert exported(db)[0]["reporter_name"] == name


@pytest.mark.parametrize("answer, name", [("vet inte", "Malin"), ("Malin Berg", "Malin Berg"), ("skip", "Malin")])
def test_the_surname_question_takes_a_surname_a_whole_name_or_none(db, answer, name):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("Hej! Malin här på Hemtjänst Skäggetorp, TES-appen visar inga besök för hela gruppen sen sju")
        assert turn["awaiting"] == "reporter_name"
        turn = chat.say(answer)
        assert turn["awaiting"] != "reporter_name"   # asked once, never again
        fill(chat, turn, ANSWERS)
    assert exported(db)[0]["reporter_name"] == name


@pytest.mark.parametrize("said, scope", [
    ("Lotta Blom Hemtjänst Lambohov – internet ligger nere på kontoret, vi är alla drabbade, sedan 8.50", "unit"),
    ("Hi, Treserva funkar inte, only for me. Mikael Persson, Hemtjänst Tannefors, since 13.10", "single_user"),
    ("Hi there, Hemsjukvården, Erik Johansson. Can't get into Treserva, none of the nurses here can, since 19:30", "unit"),
])
def test_the_extent_written_in_the_opening_is_not_asked(db, said, scope):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say(said)
        turn = chat.say("ja") if turn["awaiting"] is None else turn
        asked = []
        while turn["awaiting"]:
            asked.append(turn["awaiting"])
            turn = chat.say(ANSWERS[turn["awaiting"]])
    assert "scope" not in asked and exported(db)[0]["scope"] == scope


def test_a_time_given_when_the_description_is_asked_is_the_time(db):
    with Chat(db, "--at", AT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "description")
        turn = chat.say("since about 10 past 2")
        assert turn["awaiting"] == "description"
        fill(chat, chat.say("it says session expired when I open a client"), ANSWERS)
    [report] = exported(db)
    assert report["description"].startswith("it says session expired") and "T14:10" in report["started_at"]


def test_its_with_lower_case_words_after_it_names_nobody(db):
    with Chat(db, "--at", AT) as chat:
        answer_until(chat, chat.say("felanmälan"), "confirm")
        turn = chat.say("ok so who do i call its saturday night")
    assert "Saturday" not in turn["text"]


def test_a_name_typed_after_a_swedish_report_is_answered_in_swedish(db, tmp_path):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say("felanmälan"), ANSWERS)
        turn = chat.say("Fatima Nilsson")
    with Chat(f"sqlite:///{tmp_path}/sv.db", "--at", AT, "--lang", "sv") as swedish:
        assert turn["text"] == swedish.say("Fatima Nilsson")["text"]   # not the English reply


def test_no_thanks_to_the_offer_ends_it(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("tes är sååå segt idag 🙄")
        turn = chat.say("nej tack, ville bara gnälla lite 😅")
    assert not turn["options"] and turn["awaiting"] is None and not exported(db)
    assert "?" not in turn["text"]   # no "did you mean", no question back


# From report set L's misses (2026-12-03).

@pytest.mark.parametrize("opening, fields", [
    # What fails, in words that name no fault: the opening is the description, and its extent is read.
    ("Hi, I'm Astrid Wikström from home care Ljungsbro. The door lock app can't find any locks, it's the same "
     "for the whole weekend team. Started around 10:15.",
     {"reporter_name": "Astrid Wikström", "unit": "Hemtjänst Ljungsbro", "scope": "unit", "system": "locks"}),
    ("Hej, Kristina Ek hemsjukvården. Bara jag som inte kommer in i Treserva, säger att kontot är spärrat. "
     "Hände nyss vid 15.10.",
     {"reporter_name": "Kristina Ek", "unit": "Hemsjukvården", "scope": "single_user", "system": "treserva"}),
    ("hej, Aida Hodžić äldreboende berga. treserva gives error 500 för alla på avdelningen sen 2",
     {"reporter_name": "Aida Hodžić", "unit": "Äldreboende Berga", "scope": "unit", "system": "treserva"}),
    ("good morning, Isak Lindgren from Malmslätt home care. tes is dead for our whole group since 6:40",
     {"reporter_name": "Isak Lindgren", "unit": "Hemtjänst Malmslätt", "scope": "unit", "system": "tes"}),
    ("Hej Evelina Sund här, Äldreboende Vallastaden. Genomförandewebben går inte att öppna på nån dator här "
     "sen 14.30.", {"reporter_name": "Evelina Sund", "scope": "unit", "system": "treserva"}),
])
def test_a_report_in_one_message_needs_only_its_confirmation(db, opening, fields):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say(opening)
        assert turn["awaiting"] == "confirm", chat.turns
        chat.say("ja")
    [report] = exported(db)
    assert {k: report[k] for k in fields} == fields
    assert len(report["description"]) > 20


def test_a_request_to_report_with_a_place_alone_names_the_unit_only_one_unit_has(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("låsen funkar inte hos oss på sturefors, kan du felanmäla det? Tiina Mäkinen")
        fill(chat, turn, ANSWERS)
    [report] = exported(db)
    assert report["unit"] == "Hemtjänst Sturefors"


def test_dont_know_to_another_question_does_not_unsay_the_extent(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("hej, Sofia Gustafsson hemtjänst johannelund. tes app crashes for everyone i gruppen sen 14.20")
        assert turn["awaiting"] == "confirm", chat.turns
        chat.say("ja")
    [report] = exported(db)
    assert report["scope"] == "unit" and "crashes" in report["description"]


def test_a_scope_correction_before_a_time_correction_at_the_summary_is_kept(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("Hej, Anton Sjö, Hemtjänst Tannefors. TES funkar inte för nån av oss sen 14.30, appen stänger sig")
        assert turn["awaiting"] == "confirm"
        chat.say("nej, det är bara jag, kollegorna kom in nu. och det började 14.45")
        chat.say("ja")
    [report] = exported(db)
    assert report["scope"] == "single_user" and "T14:45" in report["started_at"]


def test_natten_answered_for_the_unit_is_the_night_patrol(db):
    with Chat(db, "--at", NIGHT) as chat:
        turn = answer_until(chat, chat.say("felanmälan"), "unit")
        turn = chat.say("natten")
        fill(chat, turn, ANSWERS)
    [report] = exported(db)
    assert report["unit"] == "Nattpatrullen"


def test_a_bare_hour_at_the_time_question_is_the_time(db):
    with Chat(db, "--at", AT) as chat:
        answer_until(chat, chat.say("felanmälan"), "started_at")
        fill(chat, chat.say("sen vi började 7"), ANSWERS)
    [report] = exported(db)
    assert "T07:00" in report["started_at"]


def test_an_opening_that_takes_it_back_starts_no_report(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("hi wanted to report tes but it seems to work again now. never mind, forget it")
    assert turn["awaiting"] is None and "works again" in turn["text"] and not exported(db)


def test_a_lock_emoji_and_the_word_locks_is_offered_a_report(db):
    with Chat(db, "--at", NIGHT) as chat:
        turn = chat.say("🔒❌ låsen")
    assert turn["options"] and "felanmälan" in turn["text"]


# From report set M's misses (2026-12-03).

@pytest.mark.parametrize("opening, name", [
    ("hej det är Anna-Karin Lund på hemtjänst ekholmen, låsen funkar inte för nån av oss sen 14", "Anna-Karin Lund"),
    ("Hej jag heter Mohammed Yilmaz o vill felanmäla. TES appen loggar ut mig hela tiden, bara mig. började vid 14",
     "Mohammed Yilmaz"),
    ("Evening. The locks aren't working for the whole team. Started about 14:00. Name's Fiona Grant, Nattpatrullen.",
     "Fiona Grant"),
])
def test_a_name_written_as_staff_write_it_is_read(db, opening, name):
    with Chat(db, "--at", AT) as chat:
        fill(chat, chat.say(opening), ANSWERS)
    [report] = exported(db)
    assert report["reporter_name"] == name


def test_yesterdays_schedule_is_no_start_time(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("Hi, Lucy Hall, Hemtjänst Lambohov. TES shows yesterday's schedule for the whole team.")
        assert turn["awaiting"] == "started_at", chat.turns


def test_the_draft_is_a_typed_model_that_round_trips_through_its_stored_form():
    from bot.report_draft import ReportDraft

    draft = ReportDraft(lang="sv", fields={"unit": "Hemtjänst Ryd", "extra_systems": ["treserva"]}, awaiting="scope",
                        asked=["scope", 2], unit_choices=["Hemtjänst Berga", "Äldreboende Berga"])
    stored = draft.to_state()
    assert stored["kind"] == "report" and "first_name" not in stored   # defaults are not stored
    assert ReportDraft.from_state(stored) == draft
    assert draft.take("unit_choices") == ["Hemtjänst Berga", "Äldreboende Berga"] and draft.unit_choices == []


def test_a_stored_draft_that_does_not_fit_begins_the_report_again(content, classifier, tmp_path):
    """A damaged or older state is not half-read into a report: the person is asked from the start."""
    from bot.clock import FixedClock, parse_at
    from bot.engine import Engine
    from bot.messages import Message
    from bot.outages.service import OutageService
    from bot.storage import Store

    store = Store.connect(f"sqlite:///{tmp_path}/draft.db")
    clock = FixedClock(parse_at(AT, content.tz), content.tz)
    engine = Engine(content, classifier, clock, store=store, outages=OutageService(store, content, clock))
    message = Message(text="Anna Lind", user_id="U-draft", source="test")
    store.save_state(message.conversation_key, {"kind": "report", "lang": "sv", "fields": "garbage",
                                                "awaiting": "reporter_name", "touched": clock.now().isoformat()},
                     clock.now())
    replies = engine.handle(message)
    assert replies and replies[-1].awaiting in ("unit", "reporter_name", "system")
    assert store.reports() == []
