"""The conversation layer: what every channel (the terminal, Slack, Teams) shares.

An adapter translates its platform's events into Messages and renders
Replies; everything between is here, channel-neutral (no messenger SDK):

    locks.py      one turn at a time per conversation
    turns.py      a turn: lock, engine, the apology on failure, and a report started
                  in a channel moved to a private chat (the engine marks such replies private)
    admin.py      the administrators' commands: one parser of the words, one set of actions
                  (Slack's /driftstopp, Teams, and `driftbot outage` call the same ones)
    texts.py      the texts the admin commands and turns answer with (each channel's content file)
    forms.py      a report form's values -> a filed report and its receipt (bot/form.py checks them)
    serving.py    a serving process: signals, the outbox worker and which targets it delivers
"""
