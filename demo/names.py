"""Common Khmer family and given names in Latin transcription and Khmer script (Faker has no
Khmer locale), and the short texts the demo data uses."""

from __future__ import annotations

import datetime as dt
import random

FAMILY_NAMES: tuple[tuple[str, str], ...] = (
    ("Sok", "សុខ"), ("Chan", "ចាន់"), ("Chea", "ជា"), ("Keo", "កែវ"), ("Kim", "គីម"),
    ("Heng", "ហេង"), ("Ly", "លី"), ("Lim", "លឹម"), ("Meas", "មាស"), ("Nhem", "ញឹម"),
    ("Ouk", "អ៊ុក"), ("Pich", "ពេជ្រ"), ("Prak", "ប្រាក់"), ("Ros", "រស់"), ("Sam", "សំ"),
    ("Seng", "សេង"), ("Sin", "ស៊ិន"), ("Som", "សោម"), ("Tep", "ទេព"), ("Touch", "ទូច"),
    ("Yim", "យឹម"), ("Mao", "ម៉ៅ"), ("Nget", "ង៉ែត"), ("Phan", "ផាន"), ("Pen", "ប៉ែន"),
    ("Khiev", "ខៀវ"), ("Long", "ឡុង"), ("Chhay", "ឆាយ"), ("Vong", "វង្ស"), ("Sim", "ស៊ឹម"),
    ("Hem", "ហែម"), ("Thach", "ថាច់"), ("Yun", "យន់"), ("Chhun", "ឈុន"), ("Sun", "ស៊ុន"),
    ("Nuon", "នួន"), ("Mom", "មុំ"), ("Tan", "តាន់"), ("Hak", "ហាក់"), ("Ngin", "ងិន"),
    ("Ek", "ឯក"), ("Van", "វ៉ាន់"), ("Chey", "ជ័យ"), ("Eang", "អៀង"), ("Kong", "គង់"),
)  # fmt: skip

FEMALE_GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("Sreymom", "ស្រីមុំ"), ("Sophea", "សុភា"), ("Channary", "ចាន់ណារី"), ("Sokha", "សុខា"),
    ("Thida", "ធីតា"), ("Bopha", "បុប្ផា"), ("Chenda", "ចិន្តា"), ("Kanha", "កញ្ញា"),
    ("Leakhena", "លក្ខិណា"), ("Malis", "ម្លិះ"), ("Nary", "ណារី"), ("Phalla", "ផល្លា"),
    ("Rachana", "រចនា"), ("Sothea", "សុធា"), ("Sreyleak", "ស្រីល័ក្ខ"), ("Sreyneang", "ស្រីនាង"),
    ("Theary", "ធារី"), ("Vanna", "វណ្ណា"), ("Kalliyan", "កល្យាណ"), ("Sopheap", "សុភាព"),
    ("Chantha", "ចន្ថា"), ("Pisey", "ពិសី"), ("Socheata", "សុជាតា"), ("Sreypov", "ស្រីពៅ"),
    ("Raksmey", "រស្មី"), ("Davy", "ដាវី"), ("Kunthea", "គន្ធា"), ("Lina", "លីណា"),
    ("Mealea", "មាលា"), ("Sokunthea", "សុគន្ធា"), ("Chanthy", "ចន្ធី"), ("Navy", "ណាវី"),
)  # fmt: skip

MALE_GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("Dara", "ដារា"), ("Vannak", "វណ្ណៈ"), ("Piseth", "ពិសិដ្ឋ"), ("Rithy", "ឫទ្ធី"),
    ("Sophal", "សុផល"), ("Chanthou", "ចន្ធូ"), ("Vibol", "វិបុល"), ("Samnang", "សំណាង"),
    ("Bunthoeun", "ប៊ុនធឿន"), ("Kosal", "កុសល"), ("Makara", "មករា"), ("Narith", "ណារិទ្ធ"),
    ("Pheakdey", "ភក្តី"), ("Rotha", "រដ្ឋា"), ("Sambath", "សម្បត្តិ"), ("Seyha", "សីហា"),
    ("Sovann", "សុវណ្ណ"), ("Veasna", "វាសនា"), ("Visal", "វិសាល"), ("Bunna", "ប៊ុនណា"),
    ("Kimhong", "គីមហុង"), ("Sopheak", "សុភ័ក្ត្រ"), ("Vuthy", "វុទ្ធី"), ("Borey", "បូរី"),
    ("Chamroeun", "ចំរើន"), ("Thearith", "ធារិទ្ធ"), ("Sokhom", "សុខុម"), ("Vicheka", "វិចិត្រា"),
    ("Chhaya", "ឆាយា"), ("Ratanak", "រតនៈ"), ("Sovannarith", "សុវណ្ណារិទ្ធ"), ("Mony", "មុនី"),
)  # fmt: skip

# Faker locales for the names of foreign suspects, by citizenship.
FOREIGN_LOCALES: dict[str, str] = {
    "GBR": "en_GB", "USA": "en_US", "JPN": "ja_JP", "AUS": "en_AU", "ZAF": "zu_ZA",
    "DNK": "da_DK", "CHN": "zh_CN", "NOR": "no_NO", "NLD": "nl_NL", "LAO": "th_TH",
    "CHE": "de_CH", "THA": "th_TH", "VNM": "vi_VN", "KOR": "ko_KR", "FRA": "fr_FR",
}  # fmt: skip

FOLLOW_UP_OUTCOMES: dict[str, tuple[str, ...]] = {
    "monitoring": (
        "Living with her family; attends school regularly.",
        "Working in a garment factory in Phnom Penh; feels safe.",
        "Runs a small grocery stall with the start-up grant.",
        "Back in the village, helping on the family rice farm.",
        "Family reports no contact with the broker since return.",
        "Attends vocational training three days a week.",
        "Some debts at home; referred for economic support.",
        "Could not be met; neighbours say the family moved to Poipet.",
    ),
    "family_tracing": (
        "Mother found through the commune chief.",
        "Aunt located in Phnom Penh, willing to receive the child.",
        "Family not yet found; village chief asked to help.",
        "Father traced to a construction site in Battambang.",
    ),
    "family_assessment": (
        "Home visit: family able and willing to receive.",
        "Home is safe; grandmother will care for the child.",
        "Stepfather suspected of involvement; reintegration postponed.",
        "Family very poor; economic support recommended before return.",
    ),
    "reintegration_support": (
        "Start-up grant for a pig-raising business.",
        "School fees and uniform paid for the year.",
        "Sewing machine provided after the training.",
        "Rice support for three months.",
    ),
}

DECLINE_REASONS: tuple[str, ...] = (
    "No place in our shelter this month.",
    "The services requested are not offered in this province.",
    "The victim is an adult man; our shelter receives women and children.",
    "Referred to a closer partner after discussion with the sender.",
)

COMPLETE_REASONS: tuple[str, ...] = (
    "Reintegrated with the family.",
    "Training completed; found work.",
    "Case plan completed.",
    "",
)

CASE_NOTES: tuple[str, ...] = (
    "",
    "",
    "Recruited with a promise of restaurant work across the border.",
    "Broker paid the family an advance; debt used to control the victim.",
    "Identified during a karaoke inspection.",
    "Reported by the commune council for women and children.",
    "Passport kept by the employer.",
    "Hotline call from a neighbour.",
)

ACTIVITY_DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "awareness_raising": (
        "Safe migration awareness in the commune hall.",
        "Village meeting on the law against trafficking and sexual exploitation.",
        "School session on recruitment by brokers.",
    ),
    "training": (
        "Training of commune councils on victim identification.",
        "Training of police officers on the victim protection minimum standards.",
        "Training of social workers on case management.",
    ),
    "media": ("Radio call-in programme on trafficking through marriage.", "Television spot."),
    "campaign": ("Parade for the National Anti-Human Trafficking Day, 12 December.",),
    "inspection": ("Inspection of karaoke and massage parlours.", "Labour recruitment agencies."),
    "meeting": ("Quarterly coordination meeting with NGO partners.", "Working group meeting."),
    "child_labour_withdrawal": (
        "Children withdrawn from agricultural work, enrolled in school.",
        "Children withdrawn from brick kilns, vocational training.",
    ),
    "other": ("Distribution of posters and leaflets.",),
}


# How a second clerk writes a name the first wrote otherwise (planted duplicates).
RESPELLINGS: dict[str, tuple[str, ...]] = {
    "Sokha": ("Sokhar",), "Chea": ("Chear", "Chia"), "Sreypov": ("Srey Pov", "Sreypou"),
    "Sreymom": ("Srey Mom",), "Sreyleak": ("Srey Leak",), "Sreyneang": ("Srey Neang",),
    "Channary": ("Chan Nary",), "Sophea": ("Sophia",), "Chhay": ("Chhai",), "Vong": ("Wong",),
    "Bunthoeun": ("Buntheun",), "Davy": ("Davi",), "Navy": ("Navi",), "Sovann": ("Sovan",),
    "Phalla": ("Phala",), "Pisey": ("Pisei",), "Raksmey": ("Reaksmey",), "Chhun": ("Chun",),
}  # fmt: skip


def written_again(rng: random.Random, person: tuple) -> tuple:
    """The same person's fields as another agency records them: another romanisation or
    spacing, names swapped, Khmer without its space, an estimated birth year (±1) instead of the
    date, the village left out; one to three of these."""
    given, family, khmer, dob, birth_year, home = person
    for _ in range(rng.choice((1, 2, 3))):
        change = rng.choice(("respell", "swap", "khmer", "birth", "home"))
        if change == "respell" and (given in RESPELLINGS or family in RESPELLINGS):
            if given in RESPELLINGS:
                given = rng.choice(RESPELLINGS[given])
            else:
                family = rng.choice(RESPELLINGS[family])
        elif change == "swap":
            given, family = family, given
        elif change == "khmer":
            khmer = khmer.replace(" ", "")
        elif change == "birth" and dob is not None:
            dob, birth_year = None, dob.year + rng.choice((-1, 0, 0, 1))
            birth_year = min(birth_year, dt.date.today().year)
        elif change == "home":
            home = (*home[:3], "")
    return given, family, khmer, dob, birth_year, home
