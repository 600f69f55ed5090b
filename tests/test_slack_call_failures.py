"""A Slack call that fails in any way (a timeout, a lost connection, a 5xx) never aborts a turn:
a profile lookup falls back to no profile, and an administrator's action is still carried out
and its notice queued."""
import time

from slackapp import ADMIN, BROADCAST, dm, impatient, impatient_session, posts, posted_to, press, unique  # noqa: F401


def test_an_admin_action_is_carried_out_while_users_info_hangs(impatient):
    fake = impatient.fake
    fake.add_user(ADMIN, "Ada Admin")
    # Longer than the client's timeout, for the first try and its retry.
    fake.hang_next("users.info", seconds=1.5, times=2)
    response, path = impatient.command(ADMIN, "start locks Låsen i Ryd svarar inte")
    assert response.status == 200
    (answer,) = fake.wait_for(path, timeout=10)
    assert "Digitala lås" in answer.params["text"]
    posted_to(fake, BROADCAST, "Låsen i Ryd svarar inte")  # the notice went out through the outbox
    impatient.command(ADMIN, "klart locks")
    posted_to(fake, BROADCAST, "fungerar igen")


def test_a_button_whose_message_cannot_be_edited_still_answers(impatient):
    fake = impatient.fake
    user = unique("U")
    fake.add_user(user, "Kim Ny")
    impatient.event(dm(user, "tes funkar inte"))
    posts(fake, "D" + user)
    message = fake.message_records("D" + user)[0]
    fake.hang_next("chat.update", seconds=1.5, times=2)
    started = time.monotonic()
    press(impatient, user, message, "Rapportera i chatten")
    second = posts(fake, "D" + user, count=2, timeout=10)[1]
    assert second.ok and time.monotonic() - started < 10
