"""Imported by the index workers' fork server: the analyser and the concept tagger, loaded once.

Loading the dictionaries takes about a second; every worker forked from the server starts with
them in memory (see search/sync.py).
"""

from expertbridge.text.analyze import default_analyzer
from expertbridge.text.concepts import default_tagger

default_analyzer()
default_tagger()
