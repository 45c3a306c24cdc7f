"""Random streams keyed by name, so that a metric's draws never depend on where it sits.

Every stream of random numbers in a simulation is named: the chunk of trials it belongs to
(``np.random.SeedSequence(seed).spawn(n_chunks)[i]``, as before) and a key naming what it draws,
e.g. ``("metric", "adoption_90d", "team", "Customer Success")``. The key is hashed
(BLAKE2b, 128 bits) into four 32-bit words appended to the chunk's ``spawn_key``, so a stream
depends on the seed, the chunk and its key only: not on the order of plans, metrics,
assumptions or correlations, nor on which other metrics exist. That is what makes two scenarios
differing by one change share every other draw (common random numbers) and a share link, a
JSON file with sorted keys and a saved version give the original's numbers bit for bit.
"""

from __future__ import annotations

import functools
import hashlib
import json

import numpy as np

__all__ = ["key_words", "stream_rng", "stream_seed"]

#: the version of the key scheme; changing how keys are built changes every number, so it is part of every key
KEY_SCHEME = "compcore.draws/v2"


@functools.lru_cache(maxsize=4096)  # the same keys in every chunk and every run: hash each once
def key_words(key: tuple[str | int, ...]) -> tuple[int, ...]:
    """Four 32-bit words of a stable hash of ``key`` (the same on every machine and Python).

    >>> key_words(("metric", "ebrs")) == key_words(("metric", "ebrs"))
    True
    >>> key_words(("metric", "ebrs")) == key_words(("metric", "ebr", "s"))
    False
    """
    text = json.dumps([KEY_SCHEME, *key], ensure_ascii=True, separators=(",", ":"))
    digest = hashlib.blake2b(text.encode("ascii"), digest_size=16).digest()
    return tuple(int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4))


def stream_seed(chunk: np.random.SeedSequence, key: tuple[str | int, ...]) -> np.random.SeedSequence:
    """The seed sequence of stream ``key`` within one chunk: the chunk's entropy, its spawn key plus the key's hash.

    >>> chunk = np.random.SeedSequence(0).spawn(2)[1]
    >>> s = stream_seed(chunk, ("metric", "ebrs"))
    >>> s.entropy == 0 and s.spawn_key[:1] == (1,) and len(s.spawn_key) == 5
    True
    """
    return np.random.SeedSequence(chunk.entropy, spawn_key=(*chunk.spawn_key, *key_words(key)))


def stream_rng(chunk: np.random.SeedSequence, key: tuple[str | int, ...]) -> np.random.Generator:
    """A generator of stream ``key`` within one chunk (numpy's default bit generator, PCG64).

    >>> chunk = np.random.SeedSequence(7).spawn(1)[0]
    >>> a = stream_rng(chunk, ("metric", "ebrs")).standard_normal(3)
    >>> bool(np.array_equal(a, stream_rng(chunk, ("metric", "ebrs")).standard_normal(3)))
    True
    """
    return np.random.default_rng(stream_seed(chunk, key))
