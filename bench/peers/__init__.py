"""Peer implementations. Each module is run as `python -m peers.<name> DATA RESULT_JSON`
in a fresh process: it imports its library first, then times only the work itself and
writes {"seconds": float, "stats": ...} to RESULT_JSON."""
