"""The proportions of the demo data, mostly from Chou Bun Eng's presentation of the 2010 figures
(shared/seeds/004…); the weights are relative."""

from __future__ import annotations

# fmt: off
# Victims referred to partners in 2010: 238 WNU/CPN, 42 AFESIP, 37 HCC, 21 CCPCR, 20 MoSVY's
# PP centre, 11 Friends, 7 CWCC, 6 WHI, 2 Hagar, 1 Our Home (a few more partners added).
PARTNER_WEIGHTS = {
    "WNU/CPN": 238, "AFESIP": 42, "HCC": 37, "CCPCR": 21, "MoSVY-PPC": 20, "Friends": 11,
    "CWCC": 7, "WHI": 6, "WV": 5, "IOM": 5, "APLE": 3, "Hagar": 2, "Our-Home": 1,
}
# Where operations happen and which province's DoSVY holds a victim (province codes).
OPERATION_PROVINCES = {
    "12": 30, "01": 10, "17": 10, "18": 8, "02": 7, "08": 7, "09": 4, "20": 4, "14": 4, "03": 4,
    "21": 4, "07": 3, "22": 2, "24": 3,
}
OWNER_PROVINCES = {
    "12": 25, "01": 12, "02": 8, "17": 8, "14": 7, "03": 7, "08": 6, "20": 6, "21": 5, "06": 4,
    "05": 4, "18": 4, "09": 2, "22": 2,
}
# 19 foreign suspects in 2010: 4 British, 4 American, 2 Japanese, 2 Australian, 1 African,
# 1 Danish, 1 Chinese, 1 Norwegian, 1 Dutch, 1 Laotian, 1 Swiss (plus neighbours).
FOREIGN_SUSPECTS = {
    "GBR": 4, "USA": 4, "JPN": 2, "AUS": 2, "ZAF": 1, "DNK": 1, "CHN": 1, "NOR": 1, "NLD": 1,
    "LAO": 1, "CHE": 1, "THA": 3, "VNM": 4, "KOR": 1,
}
# Repatriations: victims from Thailand, Vietnam, India, Indonesia, South Africa…; returned
# migrants from Thailand, Vietnam and Malaysia.
REPATRIATION_ORIGINS = {
    "victim": {"THA": 50, "VNM": 25, "MYS": 8, "IDN": 4, "IND": 3, "CHN": 5, "SAU": 3,
               "ZAF": 1, "TWN": 1},
    "migrant": {"THA": 60, "VNM": 25, "MYS": 15},
}
# Border provinces receiving from each neighbour (Banteay Meanchey, Koh Kong, Oddar Meanchey,
# Battambang; Svay Rieng, Takeo).
BORDER_PROVINCES = {"THA": {"01": 70, "09": 12, "22": 8, "02": 10}, "VNM": {"20": 75, "21": 25}}
EXPLOITATION = {
    "rescue": {"sexual_exploitation": 70, "forced_labour": 12, "child_labour": 6,
               "forced_begging": 6, "other": 6},
    "repatriation": {"forced_labour": 55, "forced_begging": 15, "sexual_exploitation": 10,
                     "forced_marriage": 12, "servitude": 6, "other": 2},
    "other": {"sexual_exploitation": 30, "forced_labour": 28, "forced_marriage": 20,
              "child_labour": 10, "servitude": 5, "surrogacy": 3, "organ_removal": 1,
              "forced_adoption": 1, "other": 2},
}
LABOUR_SECTORS = ("fishing", "construction", "agriculture", "manufacturing", "domestic_work",
                  "hospitality", "begging", "peddling")
MEANS = ("debt_bondage", "takes_earnings", "physical_threats", "threatens_family",
         "psychological_abuse", "physical_abuse", "false_promises", "restricts_movement",
         "excessive_working_hours", "withholds_documents", "withholds_necessities")
RECRUITMENT = {"false_job_offer": 35, "approached_by_intermediary": 20,
               "personal_acquaintance": 12, "false_marriage_offer": 10, "online": 8,
               "sold_by_family": 5, "abduction": 2, "unknown": 8}
RELATIONS = {"friend": 30, "family": 15, "intimate_partner": 8, "other": 30, "unknown": 17}
CHARGES = (
    "Procuring for prostitution (Law on the Suppression of Human Trafficking and Sexual "
    "Exploitation, 2008, art. 23–24).",
    "Purchase of child prostitution (2008 Law, art. 34).",
    "Unlawful removal for cross-border transfer (2008 Law, art. 10).",
    "Act of selling, buying or exchanging a person (2008 Law, art. 15).",
    "Management of an establishment for prostitution (2008 Law, art. 30).",
)
# kind: (weight, working group, range of participants)
ACTIVITY_KINDS = {
    "awareness_raising": (35, "prevention", (40, 600)),
    "training": (18, "prevention", (15, 60)),
    "media": (8, "prevention", (100, 5000)),
    "campaign": (8, "prevention", (200, 6000)),
    "inspection": (8, "law_enforcement", (5, 60)),
    "meeting": (13, "cooperation", (8, 40)),
    "child_labour_withdrawal": (8, "child_affairs", (10, 300)),
    "other": (2, "prevention", (10, 200)),
}
ACTIVITY_AGENCIES = ("MoWA", "MoLVT", "MoEYS", "MoT", "NPC", "AHTJP", "MoSVY", "WV", "IOM",
                     "CWCC", "AFESIP", "UN-ACT")
# Deportees received a month: 127,053 in 2010 through Banteay Meanchey, Svay Rieng and Koh Kong.
DEPORTEE_POSTS = (("DoSVY-BMC", "THA", 3500), ("DoSVY-KKG", "THA", 900),
                  ("DoSVY-OMC", "THA", 500), ("DoSVY-BTB", "THA", 700),
                  ("DoSVY-SVR", "VNM", 600), ("DoSVY-TKO", "VNM", 200))
# fmt: on
