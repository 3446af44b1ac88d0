import pytest

from register.rules import LOCAL_LISTS, alliance_label, national_party


@pytest.mark.parametrize(
    ("letter", "name", "party"),
    [
        ("F", "SF - Socialistisk Folkeparti", "F"),
        ("F", "Socialistisk Folkeparti - SF", "F"),
        ("F", "SF – Socialistisk  Folkeparti", "F"),
        ("V", "Venstre, Danmarks Liberale Parti", "V"),
        ("Ø", "Enhedslisten Køge", "Ø"),
        ("K", "KristenDemokraterne", "K"),
        ("K", "DKP - Danmarks Kommunistiske Parti", LOCAL_LISTS),
        ("D", "Nye Borgerlige", "D"),
        ("D", "Ham Stokken", LOCAL_LISTS),
        ("L", "Albertslund-Listen", LOCAL_LISTS),
        ("B", "Venstre", LOCAL_LISTS),  # a name of another letter's party is not that party
        ("S", "Slesvigsk Parti", LOCAL_LISTS),
    ],
)
def test_national_party(letter, name, party):
    assert national_party(letter, name) == party


def test_alliance_label():
    assert alliance_label(["B", "F", "Ø"]) == "B+F+Ø"
