"""The Slack adapter (slack-bolt): Slack events in, engine Messages; Replies out, rendered.

It never decides what the routine says: the engine, bot.reports and the
outage service do, and what a turn, an admin command and a form are is
bot.conversation's (shared with Teams and the terminal). The adapter translates
and renders; its own words are content/slack.<lang>.yaml.

    serve.py        the process: checks, HTTP or Socket Mode, the outbox worker
    app.py          the Bolt App and its context, built once
    listeners.py    every listener, registered in one place
    conversations.py  DMs, mentions, option buttons -> Engine.handle
    report_form.py  the report modal: open, validate, file
    commands.py     /driftstopp
    home.py         the App Home tab
    render.py       Reply -> Block Kit + plain-text fallback
    escape.py       user text made inert (&, <, >)
    delivery.py     the outbox's Deliverer for Slack
    dedupe.py       redelivered events dropped by event_id
    answering.py    at most a few turns compute at once; a wait on Slack holds no slot
    client.py       the WebClient with retry handlers (its calls give the slot up)
    users.py        users.info: names and locales, cached
    texts.py        content/slack.<lang>.yaml, validated
    http_server.py, socket_mode.py   the two ways Slack reaches the app
"""
