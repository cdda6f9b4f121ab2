"""The demo's cohort: 24 mentors and 48 mentees in six countries, speaking the four workbook
languages. The roster is fixed (the seed only drives what people type and when), so the
matching engine proposes the same pairs on every run and the pair codes stay stable.

Each country has four mentors and eight mentees, with offices, sectors, levels, working
languages, competency domains, a few preferred mentors, one same-sex preference and mentors of
different capacities, so that the matching engine has real choices to make.
"""

from __future__ import annotations

import unicodedata

# code, workbook language, offices, (mentors' names and sexes), (mentees' names and sexes)
COUNTRIES: list[tuple[str, str, tuple[str, ...], list[tuple[str, str]], list[tuple[str, str]]]] = [
    ("KE", "en", ("Nairobi", "Kisumu", "Mombasa", "Garissa"),
     [("Grace Wanjiru", "female"), ("Peter Kamau", "male"), ("Mercy Achieng", "female"),
      ("Daniel Mutua", "male")],
     [("Brian Otieno", "male"), ("Lucy Wambui", "female"), ("Kevin Omondi", "male"),
      ("Janet Chebet", "female"), ("Samuel Kiprop", "male"), ("Esther Nyambura", "female"),
      ("Collins Mwangi", "male"), ("Purity Jeptoo", "female")]),
    ("NG", "en", ("Abuja", "Maiduguri", "Lagos", "Yola"),
     [("Ngozi Okafor", "female"), ("Emeka Eze", "male"), ("Aisha Bello", "female"),
      ("Tunde Adeyemi", "male")],
     [("Chioma Nwosu", "female"), ("Ibrahim Musa", "male"), ("Funmilayo Adebayo", "female"),
      ("Chinedu Obi", "male"), ("Zainab Yusuf", "female"), ("Segun Ogunleye", "male"),
      ("Hauwa Abdullahi", "female"), ("Kelechi Nnaji", "male")]),
    ("SN", "fr", ("Dakar", "Thiès", "Ziguinchor", "Kaolack"),
     [("Aminata Ndiaye", "female"), ("Ousmane Sarr", "male"), ("Fatou Diallo", "female"),
      ("Ibrahima Fall", "male")],
     [("Awa Sow", "female"), ("Mamadou Ba", "male"), ("Khady Faye", "female"),
      ("Cheikh Gueye", "male"), ("Mariama Cissé", "female"), ("Abdoulaye Diop", "male"),
      ("Ndèye Seck", "female"), ("Moussa Thiam", "male")]),
    ("CD", "fr", ("Kinshasa", "Goma", "Bukavu", "Lubumbashi"),
     [("Jeanne Mbuyi", "female"), ("Patrick Mulumba", "male"), ("Chantal Ilunga", "female"),
      ("Didier Tshibanda", "male")],
     [("Grâce Mukendi", "female"), ("Jonathan Kasongo", "male"), ("Nadine Lukusa", "female"),
      ("Trésor Mwamba", "male"), ("Sarah Kalala", "female"), ("Fiston Kabongo", "male"),
      ("Ruth Ngalula", "female"), ("Héritier Banza", "male")]),
    ("MZ", "pt", ("Maputo", "Beira", "Nampula", "Pemba"),
     [("Ana Machava", "female"), ("Carlos Mondlane", "male"), ("Luísa Cossa", "female"),
      ("Fernando Sitoe", "male")],
     [("Joana Nhantumbo", "female"), ("Alberto Macuácua", "male"), ("Rosa Mabunda", "female"),
      ("Tomás Langa", "male"), ("Célia Muianga", "female"), ("Armando Tembe", "male"),
      ("Graça Manjate", "female"), ("Hélder Nhaca", "male")]),
    ("CO", "es", ("Bogotá", "Cúcuta", "Medellín", "Quibdó"),
     [("María Fernanda Rojas", "female"), ("Andrés Gómez", "male"),
      ("Luz Marina Ospina", "female"), ("Jorge Ramírez", "male")],
     [("Camila Torres", "female"), ("Santiago Herrera", "male"), ("Valentina Castro", "female"),
      ("Julián Morales", "male"), ("Daniela Vargas", "female"), ("Felipe Cárdenas", "male"),
      ("Paola Mejía", "female"), ("Sebastián Ríos", "male")]),
]  # fmt: skip
SECTORS = ("Health", "WASH", "Education", "Nutrition", "Livelihoods", "Protection")
DOMAINS = ("technical", "evaluation", "data", "communication", "strategy", "leadership")
SECOND_LANGUAGE = {"en": "fr", "fr": "en", "pt": "en", "es": "en"}
"""The second working language of a bilingual mentor of each country language."""
MENTEE_OFFICES = (0, 1, 0, 2, 0, 1, 0, 3)
"""Each mentee's office, by their number in the country: half work in the capital (the
country's first office), so some offices are large enough for the anonymous report to show
(3 people or more) and the others are suppressed."""
CAPACITY = {1: "3"}
"""Mentors' capacities by their number in the country (others: programme.yaml's default, 2)."""

Row = tuple[str, ...]


def people() -> list[Row]:
    """The roster's People rows, in the column order of ``toolkit.roster.PEOPLE_COLUMNS``:
    person_id, name, email, role, country, office, sector, level, languages, sex,
    line_manager_id, domains, preferred_mentors, capacity, same_sex_preference."""
    rows: list[Row] = []
    for c, (country, lang, offices, mentors, mentees) in enumerate(COUNTRIES):
        for i, (name, sex) in enumerate(mentors):
            # Every other mentor also works in a second language; one in four is mid-level.
            languages = f"{lang}, {SECOND_LANGUAGE[lang]}" if (i + c) % 2 == 0 else lang
            domains = f"{DOMAINS[(i + c) % 6]}, {DOMAINS[(i + c + 2) % 6]}"
            rows.append((
                f"{country}-M{i + 1:02d}", name, _email(name), "mentor", country,
                offices[i % len(offices)], SECTORS[(i + c) % 6], "mid" if i == 3 else "senior",
                languages, sex, "", domains, "", CAPACITY.get(i, ""), "",
            ))  # fmt: skip
        for i, (name, sex) in enumerate(mentees):
            domains = DOMAINS[(i + 2 * c) % 6] + (f", {DOMAINS[(i + c + 3) % 6]}" if i % 3 else "")
            preferred = f"{COUNTRIES[(c + 1) % 6][0]}-M01" if i == 1 else ""
            same_sex = "yes" if (i, c) == (2, 1) else ""
            rows.append((
                f"{country}-E{i + 1:02d}", name, _email(name), "mentee", country,
                offices[MENTEE_OFFICES[i]], SECTORS[(i + 2 * c) % 6],
                "mid" if i % 4 == 3 else "junior", lang, sex, "", domains, preferred, "",
                same_sex,
            ))  # fmt: skip
    return rows


def _email(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", ".") + "@example.org"
