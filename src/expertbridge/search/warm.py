"""Imported by the index workers' fork server: the analyser and the concept tagger, loaded once.

Loading the dictionaries takes about a second; every worker forked from the server starts with
them in memory (see search/sync.py).
"""

import gc

from expertbridge.text.analyze import default_analyzer
from expertbridge.text.concepts import default_tagger

default_analyzer()
default_tagger()


def quiet_collector() -> None:
    """Make the cyclic garbage collector run rarely in an analysis worker.

    Analysis allocates millions of short-lived objects and makes no reference cycles, while the
    worker's caches hold millions of long-lived ones: with the default thresholds, the collector
    kept walking those caches, a fifth of a build's time (measured on 100,000 profiles).
    """
    gc.freeze()  # what the worker started with is never garbage
    gc.set_threshold(100_000, 50, 1000)
