"""Demo data of agreements (seed_demo runs it; idempotent)."""


def seed() -> list[str]:
    return []
