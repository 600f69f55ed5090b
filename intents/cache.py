"""Keep the trained classifier on disk so `driftbot ask` starts fast.

Training takes a few hundred milliseconds; loading the result takes a few
tens. The cache key covers everything the classifier is built from (phrasings,
spelling map, social and common words) and its source code, so editing
content or code simply trains anew. A cache
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

from intents.classifier import Classifier

log = logging.getLogger(__name__)

_HERE = Path(__file__).resolve().parent
_MODEL_SOURCES = ("classifier.py", "normalise.py", "social.py", "training.py")


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "driftbot"


def _key(data: dict) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    # The source files by path, not by import: importing intents.training would load numpy.
    for name in _MODEL_SOURCES:
        digest.update((_HERE / name).read_bytes())
    return digest.hexdigest()[:32]


def load_or_train(data: dict, cache_dir: Path | None) -> Classifier:
    """`data` is Classifier's keyword arguments (phrasings, spelling, ...), all plain data."""
    if cache_dir is None:
        return Classifier(**data)
    path = cache_dir / f"classifier-{_key(data)}.pickle"
    try:
        with path.open("rb") as fh:
            loaded = pickle.load(fh)  # noqa: S301 - our own file in the user's cache folder
        if isinstance(loaded, Classifier):
            return loaded
    except FileNotFoundError:
        pass
    except Exception as exc:  # a truncated or stale file: train anew
        log.warning("classifier cache unreadable, retraining: %s", exc)
    trained = Classifier(**data)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a concurrent start never reads half a file.
        with tempfile.NamedTemporaryFile("wb", dir=cache_dir, delete=False) as tmp:
            pickle.dump(trained, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
    except OSError as exc:
        log.info("classifier cache not written: %s", exc)
    return trained
