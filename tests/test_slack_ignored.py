"""The bot never answers itself, other bots, edits, deletions or joins."""
from slackapp import dm, fake, posts, slack, slack_session, unique  # noqa: F401 (fixtures)


def _sentinel(slack, fake, user):
    """A plain DM that is answered: when its answer is there, everything sent before it has been handled."""
    slack.event(dm(user, "hej"))
    posts(fake, "D" + user)


def test_own_and_other_bots_messages_and_subtypes_are_ignored(slack, fake):
    user = unique("U")
    fake.add_user(user, "Eva Lind")
    channel = "D" + user
    ignored = [
        # the bot's own message, as Slack echoes it back
        dm(fake.bot_user_id, "Kontakta Användarstöd", channel=channel, bot_id=fake.bot_id),
        # the bot's own user without a bot_id (older payloads)
        dm(fake.bot_user_id, "tes funkar inte", channel=channel),
        # another app's bot
        {**dm("UOTHERBOT", "tes funkar inte", channel=channel), "bot_id": "BOTHER", "subtype": "bot_message"},
        {**dm("UOTHERBOT", "tes funkar inte", channel=channel), "bot_id": "BOTHER"},
        # an edit, a deletion, a join
        {**dm(user, "tes funkar inte"), "subtype": "message_changed",
         "message": {"type": "message", "user": user, "text": "tes funkar inte alls"}},
        {**dm(user, ""), "subtype": "message_deleted", "deleted_ts": "1700000000.000001"},
        {**dm(user, "<@%s> has joined the channel" % user), "subtype": "channel_join"},
    ]
    for event in ignored:
        response, _ = slack.event(event)
        assert response.status == 200
    _sentinel(slack, fake, user)
    assert [c.params["channel"] for c in fake.calls_to("chat.postMessage") if c.params["channel"] in
            (channel, "DUOTHERBOT", "D" + fake.bot_user_id)] == [channel]
    # Nobody looked up the bots either.
    assert {c.params["user"] for c in fake.calls_to("users.info")} & {fake.bot_user_id, "UOTHERBOT"} == set()


def test_channel_messages_without_a_mention_are_not_answered(slack, fake):
    user = unique("U")
    fake.add_user(user, "Eva Lind")
    other = unique("C")
    response, _ = slack.event({**dm(user, "tes funkar inte"), "channel": other, "channel_type": "channel"})
    assert response.status == 200
    _sentinel(slack, fake, user)
    assert [c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == other] == []


def test_events_nobody_handles_are_still_acknowledged(slack):
    # Anything else subscribed gets a 200, so Slack does not retry it.
    response, _ = slack.event({"type": "team_join", "user": {"id": unique("U")}})
    assert response.status == 200
