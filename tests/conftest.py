import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent))

import pytest


@pytest.fixture
def fake_slack():
    from fakeslack import FakeSlack

    fake = FakeSlack().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(scope="session")
def content():
    from bot.content import load_content

    return load_content()


@pytest.fixture(scope="session")
def classifier(content):
    from bot.runtime import build_classifier

    return build_classifier(content)
