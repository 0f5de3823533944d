"""The typed shapes of the APIs' answers: ``hsds`` (HSDS 3.0 objects) and
``partner`` (the partner API)."""
