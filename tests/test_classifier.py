"""The intent classifier on its own: contract properties, not accuracy (that is the benchmark)."""
import pickle
import subprocess
import sys

import pytest

from bot.runtime import build_classifier, classifier_data
from helpers import ROOT
from intents import INTENT_IDS

SAMPLE = ("tes funkar inte", "vem ringer jag efter fyra", "hur efterregistrerar jag", "when is it fixed?",
          "hej!! tes funkar inte tack", "tack", "avbryt", "nycklad till brukarna", "nmäla fel", "")


def test_cached_and_fresh_models_classify_alike(content, classifier):
    """Training is deterministic, and the cache stores the learnt weights: a model read
    back from it gives exactly what a freshly trained one gives, on every phrasing and more."""
    fresh = build_classifier(content, cache=False)
    round_tripped = pickle.loads(pickle.dumps(fresh, protocol=pickle.HIGHEST_PROTOCOL))
    texts = [t for by_intent in content.phrasings.values() for ts in by_intent.values() for t in ts] + list(SAMPLE)
    for text in texts:
        expected = fresh.classify(text)
        assert round_tripped.classify(text) == expected, text
        assert classifier.classify(text) == expected, text   # the session's, from the user's cache


def test_answering_from_the_cache_needs_no_numpy(tmp_path):
    """numpy (and rapidfuzz, when every word is known) cost start-up time; only training uses them."""
    code = ("import sys; from bot.content import load_content; from bot.runtime import build_classifier;"
            "c = load_content(); build_classifier(c).classify('vem ringer jag');"
            "print(sorted(m for m in ('numpy', 'rapidfuzz') if m in sys.modules))")
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "numpy" in first.stdout  # the first run trains...
    second = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert second.stdout.strip() == "[]", second.stderr  # ...the second answers from the cache without them


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

    data = classifier_data(content)
    first = load_or_train(data, tmp_path)
    assert list(tmp_path.glob("classifier-*.pickle"))
    second = load_or_train(data, tmp_path)
    assert second.classify("tes funkar inte").confidence == first.classify("tes funkar inte").confidence
    # A corrupt cache file is ignored and replaced.
    for path in tmp_path.glob("classifier-*.pickle"):
        path.write_bytes(b"garbage")
    third = load_or_train(data, tmp_path)
    assert third.classify("vem ringer jag").intent == "contact"
    # Editing any of the data, here the social words, trains anew under another key.
    data["social"]["thanks"]["words"].append("tackarna")
    assert load_or_train(data, tmp_path).classify("tackarna").social == "thanks"
    assert len(list(tmp_path.glob("classifier-*.pickle"))) == 2


# -- how people type --------------------------------------------------------

@pytest.mark.parametrize("text, intent", [
    ("hej!! tes funkar inte tack", "outage_now"),
    ("Hej! vem ringer jag efter fyra? Tack så mycket", "contact"),
    ("god morgon! hur efterregistrerar jag besöken mvh", "post_registration"),
    ("Hello, who do I call when TES is down? thanks a lot 🙏", "contact"),
    ("hi there 👋 the lock won't open, cheers", "conventional_keys"),
    ("hej, när är det löning? tack", "out_of_scope"),   # politeness does not make a question answerable
    ("TES FUNKAR INTE", "outage_now"),
])
def test_greetings_and_thanks_do_not_outvote_the_question(classifier, text, intent):
    assert classifier.classify(text).intent == intent


@pytest.mark.parametrize("text, kind, lang", [
    ("hej", "greeting", "sv"),
    ("hejsan!!", "greeting", "sv"),
    ("tack", "thanks", "sv"),
    ("tusen tack 🙏", "thanks", "sv"),
    ("thanks!", "thanks", "en"),
    ("mvh", "closing", "sv"),
    ("avbryt", "cancel", "sv"),
    ("never mind", "cancel", "en"),
    ("hej tack", "thanks", "sv"),      # named after the first kind in social.yaml's order
    ("hej Lena!", "greeting", "sv"),   # a greeting around nothing the model knows
])
def test_a_message_of_only_social_words_is_help_with_its_kind(classifier, text, kind, lang):
    result = classifier.classify(text)
    assert (result.intent, result.social, result.lang) == ("help", kind, lang)


def test_a_question_has_no_social_kind(classifier):
    assert classifier.classify("hej!! tes funkar inte tack").social is None
    assert classifier.classify("vad kan du").social is None
    assert classifier.classify("vad kan du").intent == "help"


def test_replies_are_kept_inside_a_sentence(classifier):
    """'no' and 'nej' are social alone, but inside a sentence they carry meaning."""
    split = classifier.social.split(classifier.normaliser.tokens("no one can log in, thanks"))
    assert split.keep == (True, True, True, True, True, False)
    assert split.kinds == ("thanks", "yes_no")
    assert classifier.classify("nej").social == "yes_no"


def test_words_taken_as_written_are_never_repaired(content, classifier):
    # Each of these is one letter or two off a word of the phrasings, but a word in its own right.
    for word in ("kostar", "klarar", "medan", "maila", "stalla", "externa"):
        assert word in content.common_words
        assert classifier._repair(word) == word
    assert all(classifier._repair(w) == w for w in content.common_words)
    assert all(classifier._repair(w) == w for w in classifier._vocabulary)


@pytest.mark.parametrize("typed, read_as", [
    ("dokumetera", "dokumentera"),
    ("tresreva", "treserva"),
    ("nmala", "anmala"),      # a dropped first letter: compared with every word, more strictly
    ("lsen", "las"),          # a spelling-map key ("låsen" means "lås") is a repair target too
])
def test_misspelt_words_are_repaired(classifier, typed, read_as):
    assert classifier._repair(typed) == read_as
