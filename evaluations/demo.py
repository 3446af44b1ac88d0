"""Demo data of evaluations (seed_demo runs it; idempotent)."""


def seed() -> list[str]:
    return []
