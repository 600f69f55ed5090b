"""Through Slack, the answer knows what is going on: a declared outage leads the next DM about it."""
from slackapp import ADMIN, BROADCAST, dm, own_slack, posted_to, posts, unique  # noqa: F401 (fixtures)


def test_a_dm_about_a_declared_outage_is_told_it_is_known_and_a_status_question_is_answered_the_right_way(own_slack):
    slack, fake = own_slack, own_slack.fake
    fake.add_user(ADMIN, "Admin Adminsson")
    response, _ = slack.command(ADMIN, "start tes Appen startar inte")
    assert response.status == 200
    posted_to(fake, BROADCAST, "Driftstopp i TES")  # the admin's command is carried out after its ack
    user = unique("U")
    fake.add_user(user, "Anna Berg", locale="sv-SE")
    slack.event(dm(user, "appen e död, kommer inte in hos brukaren"))
    (answer,) = posts(fake, "D" + user)
    first = answer.params["text"].splitlines()[0]
    assert "TES har redan ett känt driftstopp" in first
    assert "013-20 70 00" not in answer.params["text"]  # already reported: nobody needs to call again
    slack.event(dm(user, "är treserva också nere?"))
    status = posts(fake, "D" + user, count=2)[-1].params["text"]
    assert status.startswith("Inget känt driftstopp i Treserva")
    assert "TES" in status.split("\n", 1)[1]
