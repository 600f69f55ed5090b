"""Only a few turns compute at once (bot.adapters.slack.answering), and a turn waiting on Slack
holds none of them: more people than there are slots, each with a post that hangs, do not keep
the next person from being answered."""
from __future__ import annotations

import threading
import time

from bot.adapters.slack.answering import SLOTS, AnsweringSlots
from bot.adapters.slack.client import make_client
from fakeslack import FakeSlack
from slackapp import SlackApp, dm, unique

HANG_SECONDS = 6.0


def test_a_turn_beyond_the_slots_waits_until_one_makes_a_slack_call():
    slots = AnsweringSlots(2)
    go_on, finish, third_in = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []
    with FakeSlack() as fake:
        client = make_client(fake.bot_token, fake.base_url)

        def turn(calls_slack: bool, entered: threading.Event) -> None:
            try:
                with slots.slot():
                    entered.set()
                    go_on.wait(10)
                    if calls_slack:
                        client.chat_postMessage(channel="C1", text="hej")
                    finish.wait(10)
            except BaseException as exc:  # a slot released twice raises ValueError (BoundedSemaphore)
                errors.append(exc)

        first, second = threading.Event(), threading.Event()
        threads = [threading.Thread(target=turn, args=(True, first)),
                   threading.Thread(target=turn, args=(False, second))]
        for thread in threads:
            thread.start()
        assert first.wait(10) and second.wait(10)
        third = threading.Thread(target=lambda: (slots.slot().__enter__(), third_in.set()))
        third.start()
        third.join(0.3)
        assert not third_in.is_set()                 # both slots are taken
        fake.hang_next("chat.postMessage", seconds=3)
        go_on.set()                                  # the first makes its Slack call; the second holds on
        assert third_in.wait(10)
        finish.set()
        for thread in threads:
            thread.join(10)
    assert not errors
    assert fake.messages("C1") == ["hej"]


def test_a_nested_slot_is_the_outer_one():
    slots = AnsweringSlots(1)
    with slots.slot():
        with slots.slot():      # would wait for ever if it took a second slot
            pass
    with slots.slot():          # and the one slot is free again
        pass


def test_people_whose_answers_hang_on_slack_do_not_hold_up_the_next_answer(tmp_path):
    fake = FakeSlack().start()
    app = SlackApp(fake, tmp_path / "driftbot.db").start()
    try:
        waiting = [unique("U") for _ in range(SLOTS + 1)]
        next_person = unique("U")
        for user in (*waiting, next_person):
            fake.add_user(user, "Anna Berg")
        fake.hang_next("chat.postMessage", seconds=HANG_SECONDS, times=len(waiting))
        for user in waiting:
            app.event(dm(user, "vem ringer jag?"))
        deadline = time.monotonic() + 20
        while fake.hangs_left("chat.postMessage") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert fake.hangs_left("chat.postMessage") == 0     # every one of them is hanging now
        app.event(dm(next_person, "vem ringer jag?"))
        answered = [c for c in fake.wait_for("chat.postMessage", timeout=20, ok_only=True)
                    if c.response["channel"] == "D" + next_person]
        hung = [c for c in fake.calls_to("chat.postMessage") if not c.ok]
        # Answered while they still hung (hung calls are recorded when they end, so none is yet).
        assert answered and not hung
        # And theirs come once Slack answers again (the client retries after the 503).
        calls = fake.wait_for("chat.postMessage", count=2 * len(waiting) + 1, timeout=30)
        assert {c.response["channel"] for c in calls if c.ok} == {"D" + u for u in (*waiting, next_person)}
    finally:
        app.stop()
        fake.stop()
