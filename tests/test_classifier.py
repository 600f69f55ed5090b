"""The intent classifier on its own: contract properties, not accuracy (that is the benchmark)."""
import pytest

from bot.runtime import build_classifier
from intents import INTENT_IDS


def test_deterministic_across_builds(content, classifier):
    fresh = build_classifier(content, cache=False)
    for text in ("tes funkar inte", "vem ringer jag efter fyra", "hur efterregistrerar jag", "when is it fixed?"):
        a, b = classifier.classify(text), fresh.classify(text)
        assert (a.intent, round(a.confidence, 6)) == (b.intent, round(b.confidence, 6))


@pytest.mark.parametrize("text, intent", [
    ("TES har hängt sig", "outage_now"),
    ("tes hanger sig", "outage_now"),                 # no å/ä/ö
    ("treserav går inte att öppna", "outage_now"),    # typo in the system name
    ("vart ringer man efter fyra", "contact"),
    ("efterregistera besöken", "post_registration"),  # typo
    ("nycklarna till brukarna?", "conventional_keys"),
    ("avvikelse utan system", "deviation"),
    ("is it fixed yet", "status"),
    ("hejsan", "help"),
    ("när är det löning", "out_of_scope"),
])
def test_obvious_questions(classifier, text, intent):
    assert classifier.classify(text).intent == intent


@pytest.mark.parametrize("text", ["asdkjh qwe zxcv", "!!!???", "1234 5678", "x" * 300])
def test_gibberish_is_out_of_scope_or_help(classifier, text):
    assert classifier.classify(text).intent in ("out_of_scope", "help")


def test_confidence_and_alternatives_are_well_formed(classifier):
    for text in ("tes", "", "nycklar och efterregistrering", "a" * 50_000, "vem ringer jag"):
        result = classifier.classify(text)
        assert result.intent in INTENT_IDS
        assert 0.0 <= result.confidence <= 1.0
        assert all(0.0 <= a.confidence <= 1.0 and a.intent != result.intent for a in result.alternatives)


def test_language_follows_the_question(classifier):
    assert classifier.classify("who do I call at night?").lang == "en"
    assert classifier.classify("vem ringer jag på natten?").lang == "sv"
    assert classifier.classify("vem ringer jag pa natten").lang == "sv"


def test_cache_round_trip(content, tmp_path):
    from intents.cache import load_or_train

    first = load_or_train(content.phrasings, content.spelling, tmp_path)
    assert list(tmp_path.glob("classifier-*.pickle"))
    second = load_or_train(content.phrasings, content.spelling, tmp_path)
    assert second.classify("tes funkar inte").confidence == first.classify("tes funkar inte").confidence
    # A corrupt cache file is ignored and replaced.
    for path in tmp_path.glob("classifier-*.pickle"):
        path.write_bytes(b"garbage")
    third = load_or_train(content.phrasings, content.spelling, tmp_path)
    assert third.classify("vem ringer jag").intent == "contact"
