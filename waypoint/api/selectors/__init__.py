"""Reads behind the APIs: ``hsds`` (the public directory, prefetched for the
HSDS shapes) and ``partner`` (tokens and what a token's organisation may
see)."""
