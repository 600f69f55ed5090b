"""driftbot: the outage routine for TES and Treserva, answering back."""
import os

# pydantic looks for third-party plugins through every installed package's entry points the
# first time a model is built: some 25 ms of each `driftbot ask`, for plugins driftbot never uses.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
