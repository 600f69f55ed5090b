"""Reports as staff phrase them (issue 9): the everyday words for "all of us", units outside the list,
things outside the routine beside a system, corrections mixed into other answers, and answers
that must never be stored ("vet inte" as a name, "xD" as a name). In-process (tests/conversing.py)."""
import pytest

from conversing import ANSWERS, Chat, exported

AT = "2026-11-26T15:10"          # a Thursday, office hours



@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path}/phrasings.db"


def fill(chat: Chat, turn: dict, answers: dict = ANSWERS, limit: int = 14) -> dict:
    for _ in range(limit):
        if turn["awaiting"] is None:
            return turn
        turn = chat.say(answers.get(turn["awaiting"], "vet inte"))
    raise AssertionError(f"the dialog did not finish: {chat.turns}")


def until_confirm(chat: Chat, turn: dict, answers: dict) -> dict:
    """Answer what is asked until the summary is shown."""
    for _ in range(10):
        if turn["awaiting"] == "confirm":
            return turn
        turn = chat.say(answers[turn["awaiting"]])
    raise AssertionError(f"no summary: {chat.turns}")


def report(db, *messages: str, answers: dict = ANSWERS) -> list[dict]:
    with Chat(db, "--at", AT) as chat:
        turn = None
        for text in messages:
            turn = chat.say(text)
        fill(chat, turn, answers)
    return exported(db)


@pytest.mark.parametrize("opening", [
    "hej nattpatrullen här, Ronja Falk. vill felanmäla låsen, dom öppnar inte. hela nattpatrullen har samma problem",
    "Evening. The locks aren't working at any of our clients, the whole night patrol has it. Name's Fiona Grant, Nattpatrullen.",
    "hej, wifi is gone på kontoret hemtjänst johannelund, alla. / Moa Rydberg",
])
def test_the_whole_unit_in_everyday_words(db, opening):
    assert report(db, opening)[0]["scope"] == "unit"


def test_several_units_outweigh_the_whole_unit(db):
    rows = report(db, "felanmäla tes", answers={**ANSWERS, "scope": "typ hela stan, alla grupper jag ringt har samma"})
    assert rows[0]["scope"] == "multiple_units"


@pytest.mark.parametrize("opening, unit", [
    ("Hej, Susanne Kjellberg här, jag jobbar på Anhörigcentrum och vill felanmäla. Wifi:t är nere för alla.",
     "Anhörigcentrum"),
    ("Hi, Victoria Hayes here, unit: Lotsen dagverksamhet. Reporting a fault: the wifi is down for everyone.",
     "Lotsen dagverksamhet"),
])
def test_a_unit_outside_the_list_after_where_they_work_is_confirmed_as_written(db, opening, unit):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say(opening)
        assert turn["awaiting"] == "unit" and unit in turn["text"]   # asked to confirm, not guessed at
        fill(chat, chat.say("ja"))
    assert exported(db)[0]["unit"] == unit


def test_a_thing_outside_the_routine_beside_a_system_is_a_second_report_as_other(db):
    rows = report(db, "felanmälan", answers={**ANSWERS, "system": "treserva o outlook",
                                             "description": "treserva laddar inte och mejlen kommer inte fram"})
    assert sorted(r["system"] for r in rows) == ["other", "treserva"]


def test_a_description_given_with_the_system_is_kept(db):
    rows = report(db, "Hey, I'm Luis Fernández, hemtjänst innerstaden, need to report something.",
                  answers={**ANSWERS, "system": "The digital locks aren't working for any of us, they just time out. "
                                              "Started around 8.30", "description": "vet inte"})
    assert rows[0]["system"] == "locks" and "time out" in rows[0]["description"]


@pytest.mark.parametrize("field", ["reporter_name", "unit", "description"])
def test_vet_inte_is_never_stored_as_a_value(db, field):
    rows = report(db, "felanmälan tes", answers={**ANSWERS, field: "vet inte"})
    assert rows and "vet inte" not in rows[0][field].casefold()


@pytest.mark.parametrize("smash", ["asdfgh", "xD"])
def test_a_keyboard_smash_or_an_emoticon_is_no_name(db, smash):
    with Chat(db, "--at", AT) as chat:
        chat.say("hi, report a fault please")
        turn = chat.say(smash)
        assert turn["awaiting"] == "reporter_name"   # asked again
        fill(chat, chat.say("Liam Murphy"))
    assert exported(db)[0]["reporter_name"] == "Liam Murphy"


def test_who_they_are_in_a_first_message_of_its_own_goes_into_the_report(db):
    rows = report(db, "hi its Lina Haddad, Korttidsboende Ekholmen",
                  "treserva is super slow for all of us, takes ages to open anything, since about 8.30", "ja")
    assert (rows[0]["reporter_name"], rows[0]["unit"], rows[0]["system"]) == \
        ("Lina Haddad", "Korttidsboende Ekholmen", "treserva")


def test_a_swapped_system_replaces_the_first_and_the_name_after_it_is_read(db):
    rows = report(db, "felanmälan tes, äldreboende ryd", "sorry det är treserva inte tes. jag heter Kristoffer Berglund")
    assert [(r["system"], r["reporter_name"]) for r in rows] == [("treserva", "Kristoffer Berglund")]


def test_an_answer_then_a_correction_of_another_field(db):
    rows = report(db, "hej, hemtjänst tannefors här, appen strular, vill felanmäla",
                  "Moa Jakobsson. och nej vänta, enheten är hemtjänst vallastaden, jag är inlånad dit idag")
    assert (rows[0]["reporter_name"], rows[0]["unit"]) == ("Moa Jakobsson", "Hemtjänst Vallastaden")


def test_two_corrections_in_one_message_at_the_summary(db):
    with Chat(db, "--at", AT) as chat:
        until_confirm(chat, chat.say("felanmälan treserva"), {**ANSWERS, "reporter_name": "Maria Lind", "started_at": "12"})
        chat.say("två fel: namnet är Marie Lind och tiden 12.30")
        chat.say("ja")
    row = exported(db)[0]
    assert row["reporter_name"] == "Marie Lind" and "12:30" in row["started_at"]


def test_a_system_said_to_work_at_the_summary_leaves_the_report(db):
    with Chat(db, "--at", AT) as chat:
        until_confirm(chat, chat.say("hej ska felanmäla"), {**ANSWERS, "system": "tes och treserva"})
        chat.say("treserva funkar nu faktiskt, så bara tes")
        chat.say("ja")
    assert [r["system"] for r in exported(db)] == ["tes"]


def test_a_cancel_after_the_offer_withdraws_it(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("hej TES funkar inte för mig")
        turn = chat.say("äh strunta i det, det var bara mobilen som behövde startas om. avbryt")
        assert turn["awaiting"] is None and "felanmälan" not in turn["text"].casefold()
        chat.say("ja")
    assert exported(db) == []


@pytest.mark.parametrize("yes", ["yes that is right", "yep send it", "ja det stämmer bra", "looks good"])
def test_a_yes_said_at_length_files_the_report(db, yes):
    rows = report(db, "felanmälan tes", answers={**ANSWERS, "confirm": yes})
    assert len(rows) == 1


def test_an_emoji_inside_a_name_is_left_out(db):
    rows = report(db, "felanmälan tes", answers={**ANSWERS, "reporter_name": "Maria 💜 Svensson"})
    assert rows[0]["reporter_name"] == "Maria Svensson"


def test_no_to_the_summary_and_no_to_what_to_change_sends_nothing(db):
    with Chat(db, "--at", AT) as chat:
        until_confirm(chat, chat.say("felanmälan tes"), ANSWERS)
        chat.say("nej")
        turn = chat.say("nej")
        assert turn["awaiting"] is None
    assert exported(db) == []


def test_a_keyboard_smash_opening_starts_no_report(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("aaaaaaaaaaaaaa")
        assert turn["awaiting"] is None and "TES" in turn["text"]


def test_yes_with_the_unit_after_the_offer_starts_the_report_with_it(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("treserva is not loading for anyone in our group")
        turn = chat.say("yes, Hemtjänst Nykil")
        assert turn["awaiting"] is not None and turn["awaiting"] != "confirm" or "Nykil" in turn["text"]
        fill(chat, turn, {**ANSWERS, "unit": "ja"})
    assert exported(db)[0]["unit"] == "Hemtjänst Nykil"


def test_a_surname_put_right_in_the_same_answer(db):
    assert report(db, "felanmälan", answers={**ANSWERS, "reporter_name": "anna lindh nej lind utan h"}
                  )[0]["reporter_name"] == "Anna Lind"


def test_nonsense_twice_at_the_name_is_asked_once_more_before_the_summary(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("felanmälan")
        chat.say("ja")
        turn = chat.say("asdfghj")
        assert turn["awaiting"] != "reporter_name"   # not a third time in a row
        turn = until_confirm(chat, turn, {**ANSWERS, "reporter_name": "Mira Holm"})
        chat.say("ja")
    assert exported(db)[0]["reporter_name"] == "Mira Holm"


def test_a_description_that_only_names_the_system_is_asked_again(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("felanmälan lås")
        while turn["awaiting"] != "description":
            turn = chat.say(ANSWERS[turn["awaiting"]])
        assert chat.say("låset")["awaiting"] == "description"
        fill(chat, chat.say("nyckelboxen hos en brukare går inte att öppna"))
    assert "nyckelboxen" in exported(db)[0]["description"]


def test_a_bare_not_working_asks_what_happens(db):
    rows = report(db, "I want to report that treserva is not working at Ryd nursing home",
                  answers={**ANSWERS, "description": "treserva shows a blank page after login"})
    assert "blank page" in rows[0]["description"]


def test_a_system_said_not_to_be_it_and_a_thing_outside_the_routine(db):
    rows = report(db, "hej jag skulle vilja felanmäla", answers={**ANSWERS, "system": "trygghetslarmen, inte tes"})
    assert rows[0]["system"] == "other"


@pytest.mark.parametrize("opening, unit", [
    ("ingen kommer in i tes, varken vi i lambohov eller dom i ekholmen", "hemtjänst lambohov"),
    ("hej tove ahl heter jag, innerstadens hemtjänst, tesappen visar gamla scheman för alla hos oss o i vasastaden",
     None),
])
def test_two_units_named_in_the_opening_are_several(db, opening, unit):
    rows = report(db, opening, "ja", answers={**ANSWERS, **({"unit": unit} if unit else {})})
    assert rows[0]["scope"] == "multiple_units"
    if unit is None:
        assert rows[0]["unit"] == "Hemtjänst Innerstaden"   # the unit in the genitive


def test_another_unit_sharing_it_said_at_the_description_changes_the_scope_not_the_unit(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("hej felanmäla treserva, hela hemsjukvården")
        while turn["awaiting"] != "description":
            turn = chat.say(ANSWERS[turn["awaiting"]])
        assert chat.say("rehab har samma fel också såg jag nu, så det är flera enheter")["awaiting"] == "description"
        fill(chat, chat.say("läkemedelslistan syns inte"))
    rows = exported(db)
    assert (rows[0]["unit"], rows[0]["scope"]) == ("Hemsjukvården", "multiple_units")
    assert "läkemedelslistan" in rows[0]["description"]


def test_a_time_put_right_before_its_word(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("hej felanmälan, treserva kraschar för hela äldreboende berga sen 14.50")
        fill(chat, chat.say("Tobias Eklöf. förresten det var nog 14.40 det började, inte 14.50"))
    assert "14:40" in exported(db)[0]["started_at"]


def test_the_exact_minutes_win_over_the_words_around_them(db):
    rows = report(db, "felanmälan", answers={**ANSWERS, "started_at": "strax efter midnatt, 00.20"})
    assert "00:20" in rows[0]["started_at"]


def test_the_system_meant_after_a_but_at_the_summary(db):
    with Chat(db, "--at", AT) as chat:
        until_confirm(chat, chat.say("felanmäla"), {**ANSWERS, "system": "treserva",
                                                     "description": "tes säger att licensen gått ut"})
        chat.say("det står treserva men det är tes jag menar")
        chat.say("ja")
    assert [r["system"] for r in exported(db)] == ["tes"]


def test_stop_dont_file_cancels(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("hi, want to report that the locks don't work")
        chat.say("Owen Davies")
        assert chat.say("actually stop, don't file this. my colleague already reported it")["awaiting"] is None
    assert exported(db) == []


def test_the_name_again_at_the_unit_question_is_no_unit(db):
    with Chat(db, "--at", AT, "--user", "Lina Holm") as chat:
        chat.say("låset hos brukaren vill inte öppna")
        turn = chat.say("ja")
        assert turn["awaiting"] == "unit"
        turn = chat.say("Lina Holm")
        assert turn["awaiting"] == "unit" and "Lina Holm" not in turn["text"]
        fill(chat, chat.say("hemtjänst skäggetorp"))
    assert exported(db)[0]["unit"] == "Hemtjänst Skäggetorp"


def test_how_do_i_report_says_whom_and_a_yes_files_it_here(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("Hi, how do I report a fault?")
        assert "Självbetjäningsportalen" in turn["text"] and turn["awaiting"] is None
        fill(chat, chat.say("yes"))
    assert len(exported(db)) == 1


@pytest.mark.parametrize("opening, name", [
    ("hej det är lisa berg på hemtjänst ekholmen, tes har strulat sen halv sju för alla oss", "Lisa Berg"),
    ("this is omar khalil from nattpatrullen, the app freezes on every visit for all of us since 10", "Omar Khalil"),
])
def test_a_self_introduction_in_lower_case_names_the_reporter(db, opening, name):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say(opening)
        assert turn["awaiting"] == "confirm"      # everything was in the message: only the summary is left
        chat.say("ja")
    assert exported(db)[0]["reporter_name"] == name


def test_det_ar_before_a_problem_and_a_unit_names_nobody(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("det är stort strul på hemtjänst ryd, tes funkar inte för någon")
        turn = chat.say("ja")
    assert turn["awaiting"] == "reporter_name"


def test_more_of_what_fails_told_at_the_time_question_joins_the_description(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("hallå!! låsen funkar inte hos brukarna på berga")
        turn = chat.say("ja")
        while turn["awaiting"] != "started_at":
            turn = chat.say({"reporter_name": "Ahmed Yusuf", "unit": "hemtjänst berga",
                             "scope": "alla i kvällsgruppen"}.get(turn["awaiting"], "vet inte"))
        turn = chat.say("dörrarna öppnas inte med telefonen")
        assert turn["awaiting"] == "started_at" and "förstod" not in turn["text"]   # asked again, not refused
        fill(chat, chat.say("sen 14"))
    row = exported(db)[0]
    assert "med telefonen" in row["description"] and "brukarna" in row["description"]
    assert row["started_at"].startswith("2026-11-26T14:00")


def test_the_full_name_after_the_first_name_alone_is_the_name_not_a_unit(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("felanmäla tes")
        assert chat.say("Jenny")["awaiting"] == "unit"
        turn = chat.say("Jenny Park")
        assert turn["awaiting"] == "unit" and "Jenny Park" not in turn["text"]   # not confirmed as a unit
        fill(chat, chat.say("nattpatrullen"))
    assert (exported(db)[0]["reporter_name"], exported(db)[0]["unit"]) == ("Jenny Park", "Nattpatrullen")


def test_another_answer_at_the_second_unit_question_is_taken_and_the_unit_asked_once_more_at_the_end(db):
    with Chat(db, "--at", AT) as chat:
        chat.say("felanmäla tes")
        chat.say("Kalle Nyström")
        assert chat.say("ryd")["options"] == ["Hemtjänst Ryd", "Äldreboende Ryd"]
        turn = chat.say("hela gruppen")          # the scope, answered to "which Ryd?"
        assert turn["awaiting"] == "description"
        chat.say("appen hänger sig")
        turn = chat.say("sen 14")
        assert turn["awaiting"] == "unit" and turn["options"] == ["Hemtjänst Ryd", "Äldreboende Ryd"]
        assert chat.say("1")["awaiting"] == "confirm"
        chat.say("ja")
    row = exported(db)[0]
    assert (row["unit"], row["scope"]) == ("Hemtjänst Ryd", "unit")


def test_a_name_before_a_unit_written_place_first_is_the_reporter(db):
    with Chat(db, "--at", AT) as chat:
        turn = chat.say("Tes webb och tes appen nere för hela lambohov sen kvart i tre, Nils Ek lambohov hemtjänst")
        assert turn["awaiting"] == "confirm"
        chat.say("ja")
    assert (exported(db)[0]["reporter_name"], exported(db)[0]["unit"]) == ("Nils Ek", "Hemtjänst Lambohov")
