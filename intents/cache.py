"""Keep the trained classifier on disk so `driftbot ask` starts fast.

Training takes a few hundred milliseconds; loading the result takes a few
tens. The cache key covers the phrasings, the spelling map and the source of
the classifier itself, so editing content or code simply trains anew. A cache
that cannot be read or written is ignored: it is an optimisation, never a
source of truth.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import tempfile
from pathlib import Path

from intents import classifier as classifier_module
from intents import normalise as normalise_module
from intents import training as training_module
from intents.classifier import Classifier

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "driftbot"


def _key(phrasings: dict, spelling: dict) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([phrasings, spelling], sort_keys=True, ensure_ascii=False).encode())
    for module in (classifier_module, normalise_module, training_module):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:32]


def load_or_train(phrasings: dict, spelling: dict, cache_dir: Path | None) -> Classifier:
    if cache_dir is None:
        return Classifier(phrasings, spelling)
    path = cache_dir / f"classifier-{_key(phrasings, spelling)}.pickle"
    try:
        with path.open("rb") as fh:
            loaded = pickle.load(fh)  # noqa: S301 - our own file in the user's cache folder
        if isinstance(loaded, Classifier):
            return loaded
    except FileNotFoundError:
        pass
    except Exception as exc:  # a truncated or stale file: train anew
        log.warning("classifier cache unreadable, retraining: %s", exc)
    trained = Classifier(phrasings, spelling)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a concurrent start never reads half a file.
        with tempfile.NamedTemporaryFile("wb", dir=cache_dir, delete=False) as tmp:
            pickle.dump(trained, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
    except OSError as exc:
        log.info("classifier cache not written: %s", exc)
    return trained
