"""The Teams adapter (Microsoft 365 Agents SDK): activities in, engine Messages; Replies out, rendered.

Like the Slack adapter it decides nothing the routine says: the engine, the
conversation layer (bot.conversation: turns, admin commands, forms, the serving
lifecycle) and the outage service do. The adapter's own words are
content/teams.<lang>.yaml.

    serve.py      `driftbot serve --teams`: settings checks, aiohttp on /api/messages and /healthz
    app.py        the AgentApplication and its handlers: messages, card submits
    cards.py      Reply -> Teams message (markdown text, options as Adaptive Card buttons); the report card
    delivery.py   the outbox's Deliverer for Teams: channel posts and edits, personal notices
    references.py conversation references kept in the database (personal chats, channel posts)
    texts.py      content/teams.<lang>.yaml, validated
"""
