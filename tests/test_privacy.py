"""Tests for bot.privacy: Swedish personal identity numbers must never slip through."""

from __future__ import annotations


import pytest

from bot.privacy import (
    PersonalIdMatch,
    contains_personal_id,
    find_personal_ids,
    redact_personal_ids,
)

REDACTED = "[REDACTED]"


def luhn_check_digit(nine_digits: str) -> str:
    """Independent Luhn helper: check digit for YYMMDDNNN (weights 2,1,2,1,...)."""
    assert len(nine_digits) == 9 and nine_digits.isdigit()
    total = 0
    for index, char in enumerate(nine_digits):
        weight = 2 if index % 2 == 0 else 1
        product = int(char) * weight
        total += sum(int(d) for d in str(product))
    return str((10 - total % 10) % 10)


def wrong_check_digit(nine_digits: str) -> str:
    return str((int(luhn_check_digit(nine_digits)) + 1) % 10)


def build(yymmdd: str, serial: str, *, century: str = "", sep: str = "-") -> str:
    """Build an id with a correct check digit, in the requested format."""
    check = luhn_check_digit(yymmdd + serial)
    return f"{century}{yymmdd}{sep}{serial}{check}"


def assert_single_match(text: str, expected: str, kind: str) -> None:
    matches = find_personal_ids(text)
    assert len(matches) == 1, (text, matches)
    match = matches[0]
    assert text[match.start : match.end] == expected
    assert match.kind == kind


# --- the test helper itself, checked against hand-computed values ----------


def test_luhn_helper_against_hand_computed_values() -> None:
    # 8*2=16->7, 1, 1*2=2, 2, 1*2=2, 8, 9*2=18->9, 8, 7*2=14->5: sum 44 -> 6
    assert luhn_check_digit("811218987") == "6"
    # 7*2=14->5, 0, 1*2=2, 0, 6*2=12->3, 3, 2*2=4, 3, 9*2=18->9: sum 29 -> 1
    assert luhn_check_digit("701063239") == "1"
    # 2,2,2,2,2,2,2,2,2: sum 18 -> 2
    assert luhn_check_digit("121212121") == "2"
    # 0,7,0,1,4,3,8,5,6*2=12->3: sum 31 -> 9
    assert luhn_check_digit("070123456") == "9"


# --- hard-coded known-valid numbers ----------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "811218-9876",
        "8112189876",
        "811218 9876",
        "811218+9876",
        "19811218-9876",
        "198112189876",  # Skatteverket test number
        "19811218 9876",
        "121212-1212",  # "Tolvan Tolvansson"
        "19121212-1212",
        "191212121212",
    ],
)
def test_known_valid_personnummer(number: str) -> None:
    text = f"Brukarens nummer är {number} enligt journalen."
    assert_single_match(text, number, "personnummer")
    assert contains_personal_id(text)
    assert redact_personal_ids(text, REDACTED) == (
        f"Brukarens nummer är {REDACTED} enligt journalen.",
        1,
    )


@pytest.mark.parametrize("number", ["701063-2391", "7010632391", "19701063-2391", "197010632391"])
def test_known_valid_samordningsnummer(number: str) -> None:
    assert_single_match(f"samnr {number}", number, "samordningsnummer")


# --- generated numbers in every format -------------------------------------

_FORMATS = [
    pytest.param("", "-", id="YYMMDD-NNNC"),
    pytest.param("", "", id="YYMMDDNNNC"),
    pytest.param("", " ", id="YYMMDD NNNC"),
    pytest.param("", "+", id="YYMMDD+NNNC"),
    pytest.param("19", "-", id="YYYYMMDD-NNNC"),
    pytest.param("19", "", id="YYYYMMDDNNNC"),
    pytest.param("19", " ", id="YYYYMMDD NNNC"),
    pytest.param("20", "-", id="20YYMMDD-NNNC"),
]


@pytest.mark.parametrize(("century", "sep"), _FORMATS)
@pytest.mark.parametrize(
    ("yymmdd", "serial"),
    [("450101", "123"), ("001231", "456"), ("120731", "008"), ("991130", "990")],
)
def test_generated_personnummer_all_formats(
    century: str, sep: str, yymmdd: str, serial: str
) -> None:
    number = build(yymmdd, serial, century=century, sep=sep)
    assert_single_match(f"x {number} y", number, "personnummer")


@pytest.mark.parametrize(("century", "sep"), _FORMATS)
@pytest.mark.parametrize("yymmdd", ["850161", "850191", "040289", "990361"])
def test_generated_samordningsnummer_all_formats(century: str, sep: str, yymmdd: str) -> None:
    number = build(yymmdd, "417", century=century, sep=sep)
    assert_single_match(f"x {number} y", number, "samordningsnummer")


@pytest.mark.parametrize(("century", "sep"), _FORMATS)
def test_wrong_check_digit_is_matched_only_when_written_with_a_separator_or_a_century(century: str, sep: str) -> None:
    valid = build("811218", "987", century=century, sep=sep)
    invalid = valid[:-1] + wrong_check_digit("811218987")
    assert find_personal_ids(f"nr {valid}")  # sanity: the valid twin matches
    # "811218-9875", "198112189877", "8112189875": a mistyped personnummer is still one (only ten bare
    # digits starting with 0 need the check digit: phone numbers, 0701234567)
    assert contains_personal_id(invalid)
    assert redact_personal_ids(invalid, REDACTED) == (REDACTED, 1)


def test_ten_bare_digits_starting_with_0_need_the_check_digit() -> None:
    valid = build("041218", "987", century="", sep="")
    invalid = valid[:-1] + wrong_check_digit("041218987")
    assert find_personal_ids(f"nr {valid}")
    assert find_personal_ids(f"nr {invalid}") == []
    assert redact_personal_ids(invalid, REDACTED) == (invalid, 0)


def test_known_numbers_with_wrong_check_digit() -> None:
    for number in ["811218-9875", "19811218-9877", "701063-2390", "121212-1213",
                   "198112189877", "194905061111",   # mistyped, still ids: a separator, or a century,
                   "8112189875", "7010632390", "1212121213", "4503122381"]:   # or no leading 0
        assert len(find_personal_ids(number)) == 1, number
    for number in ["0701234567", "0731234560"]:   # ten bare digits from 0: phone numbers, not ids
        assert find_personal_ids(number) == [], number


# --- dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    "yymmdd",
    [
        pytest.param("811318", id="month-13"),
        pytest.param("810018", id="month-00"),
        pytest.param("810132", id="day-32"),
        pytest.param("810100", id="day-00"),
        pytest.param("810230", id="30-feb"),
        pytest.param("810431", id="31-apr"),
        pytest.param("810192", id="day-92"),
        pytest.param("810160", id="day-60"),
        pytest.param("810290", id="samordning-30-feb"),
        pytest.param("810491", id="samordning-31-apr"),
    ],
)
@pytest.mark.parametrize(("century", "sep"), [("", "-"), ("", ""), ("19", "-"), ("19", "")])
def test_impossible_dates_not_matched(yymmdd: str, century: str, sep: str) -> None:
    # The check digit is correct, so only the date can cause the rejection.
    number = build(yymmdd, "123", century=century, sep=sep)
    assert find_personal_ids(f"nr {number}") == []


@pytest.mark.parametrize(
    "number",
    [
        build("960229", "123", century="19"),  # 1996 leap year
        build("000229", "123", century="20"),  # 2000 leap (divisible by 400)
        build("960289", "123", century="19"),  # samordningsnummer, 29 Feb 1996
        build("960229", "123"),
        build("000229", "123"),  # 10-digit "-": 2000-02-29 exists
        build("040229", "123", sep="+"),  # 1904 leap
    ],
)
def test_29_feb_in_leap_year_matched(number: str) -> None:
    assert [(m.start, m.end) for m in find_personal_ids(number)] == [(0, len(number))]


@pytest.mark.parametrize(
    "number",
    [
        build("970229", "123", century="19"),  # 1997 not leap
        build("000229", "123", century="19"),  # 1900 not leap (century rule)
        build("970289", "123", century="19"),  # samordningsnummer variant
        build("970229", "123"),  # 10-digit: neither 1997 nor 2097 is leap
        build("000229", "123", sep="+"),  # "+" => 1900 or 1800, neither leap
    ],
)
def test_29_feb_in_non_leap_year_not_matched(number: str) -> None:
    assert find_personal_ids(number) == []


@pytest.mark.parametrize("century", ["17", "21", "99", "00"])
def test_12_digit_with_impossible_century_not_matched(century: str) -> None:
    number = build("811218", "987", century=century)
    assert find_personal_ids(number) == []


def test_12_digit_form_with_plus_separator_not_matched() -> None:
    # "+" only disambiguates the century in the 10-digit form.
    assert find_personal_ids("19811218+9876") == []


# --- things that must survive unchanged --------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "013-20 70 00",
        "013-20 60 00",
        "070-123 45 67",
        "+46 13 20 70 00",
        "+46 70 123 45 67",
        "+46701234567",
        "0046701234567",
        "013-206000",
        "08-123 456 78",
        "0701234567",  # passes the date rule (2007-01-23) but not Luhn (needs 9)
    ],
)
def test_phone_numbers_survive_redaction(phone: str) -> None:
    text = f"Ring växeln på {phone} vid driftstopp."
    assert redact_personal_ids(text, REDACTED) == (text, 0)
    assert not contains_personal_id(text)


def test_unseparated_mobile_number_that_passes_date_and_luhn_is_redacted() -> None:
    # Documented, deliberate false positive: 070-312 34 55 written without
    # separators reads as 070312-3455 (2007-03-12, Luhn digit 5), which is a
    # valid personnummer. The rule wins over guessing; over-redaction is the
    # safe direction for care data.
    assert luhn_check_digit("070312345") == "5"
    text = "Mobil 0703123455"
    assert redact_personal_ids(text, REDACTED) == (f"Mobil {REDACTED}", 1)
    # ...while the usual written form of the same phone number is untouched.
    assert redact_personal_ids("Mobil 070-312 34 55", REDACTED) == ("Mobil 070-312 34 55", 0)


@pytest.mark.parametrize(
    "text",
    [
        "1" + "8112189876",  # 11 digits
        "8112189876" + "0",
        "00" + "198112189876",  # 14 digits
        "198112189876" + "00",
        "12345811218-9876",
        "811218-98761",
        "9811218-9876",
        "ref 12198112189876 ok",
    ],
)
def test_number_inside_longer_digit_run_not_matched(text: str) -> None:
    assert find_personal_ids(text) == []
    assert redact_personal_ids(text, REDACTED) == (text, 0)


def test_other_unicode_digits_neither_match_nor_block() -> None:
    # Arabic-Indic digits are not part of an id ...
    assert find_personal_ids("\u0668\u0661\u0661\u0662\u0661\u0668-9876") == []
    # ... and do not count as "adjacent digits" for an ASCII id next to them.
    assert len(find_personal_ids("\u0661811218-9876")) == 1


# --- several ids, adjacency, positions ----------------------------------------


def test_several_ids_all_redacted_with_count() -> None:
    samnr = build("850161", "417")
    text = (
        f"Brukare 811218-9876 och 19121212-1212 samt {samnr}; "
        f"fel: 811218-9875; telefon 013-20 70 00; 198112189876."
    )
    redacted, count = redact_personal_ids(text, REDACTED)
    assert count == 5   # the mistyped 811218-9875 too
    assert redacted == (
        f"Brukare {REDACTED} och {REDACTED} samt {REDACTED}; "
        f"fel: {REDACTED}; telefon 013-20 70 00; {REDACTED}."
    )
    kinds = [m.kind for m in find_personal_ids(text)]
    assert kinds == ["personnummer", "personnummer", "samordningsnummer", "personnummer", "personnummer"]


def test_match_offsets_and_frozen_dataclass() -> None:
    text = "pnr:811218-9876."
    assert find_personal_ids(text) == [PersonalIdMatch(start=4, end=15, kind="personnummer")]
    match = find_personal_ids(text)[0]
    with pytest.raises(AttributeError):
        match.start = 0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected", "count"),
    [
        ("pnr:811218-9876.", f"pnr:{REDACTED}.", 1),
        ("pnr811218-9876", f"pnr{REDACTED}", 1),
        ("(811218-9876)", f"({REDACTED})", 1),
        ("811218-9876,19121212-1212", f"{REDACTED},{REDACTED}", 2),
        ("\"8112189876\"", f"\"{REDACTED}\"", 1),
        ("811218-9876abc", f"{REDACTED}abc", 1),
        ("rad1\n811218-9876\nrad3", f"rad1\n{REDACTED}\nrad3", 1),
        ("811218-9876", REDACTED, 1),
    ],
)
def test_ids_adjacent_to_letters_and_punctuation_redacted(
    text: str, expected: str, count: int
) -> None:
    assert redact_personal_ids(text, REDACTED) == (expected, count)


def test_replacement_is_used_verbatim() -> None:
    assert redact_personal_ids("a 811218-9876 b", "") == ("a  b", 1)
    assert redact_personal_ids("a 811218-9876 b", "\\1 $0 ***") == ("a \\1 $0 *** b", 1)


# --- edge input and speed ------------------------------------------------------


def test_empty_string() -> None:
    assert find_personal_ids("") == []
    assert redact_personal_ids("", REDACTED) == ("", 0)
    assert contains_personal_id("") is False


@pytest.mark.parametrize(
    "text",
    [
        "\ud800 lone surrogate 811218-9876",
        "\x00" * 10 + "811218-9876",
        "🙂811218-9876🙂",
    ],
)
def test_odd_strings_do_not_raise(text: str) -> None:
    assert redact_personal_ids(text, REDACTED)[1] == 1




def test_long_text_with_ids_is_fully_redacted() -> None:
    chunk = "Besök hos brukare 811218-9876, ring 013-20 70 00 vid frågor. "
    repeats = 50_000 // len(chunk) + 1
    text = (chunk * repeats)[:50_000]
    expected_count = text.count("811218-9876")
    assert expected_count > 500

    redacted, count = redact_personal_ids(text, REDACTED)
    assert count == expected_count
    assert "811218-9876" not in redacted
    assert redacted.count("013-20 70 00") == text.count("013-20 70 00")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("7" * 50_000, id="all-digits"),
        pytest.param("1234567 " * 6_250, id="near-miss-digit-groups"),
        pytest.param("811218-987 " * 4_546, id="truncated-ids"),
        pytest.param("a" * 50_000, id="no-digits"),
    ],
)
def test_long_text_without_ids_has_no_matches(text: str) -> None:
    assert len(text) >= 50_000
    assert find_personal_ids(text) == []
    assert not contains_personal_id(text)


@pytest.mark.parametrize("text", ["811218\u20139876", "811218\u00a09876", "19811218\u20139876", "811218\u22129876"])
def test_typographic_separators_from_word_processors_are_caught(text: str) -> None:
    # Pasted from Word or a phone keyboard: an en dash, a minus sign or a no-break space.
    assert redact_personal_ids(f"pnr {text}.", REDACTED) == (f"pnr {REDACTED}.", 1)
