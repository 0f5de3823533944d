"""Operations: health and readiness, backup and restore, and the drills that
prove them (docs/operating.md)."""
