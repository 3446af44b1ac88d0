"""Demo data of meetings (seed_demo runs it; idempotent)."""


def seed() -> list[str]:
    return []
