"""OSCaR's global services (name, UUID) and the CTMS service code each maps to.

Source: Children-in-Families/oscar-web, lib/tasks/global_service.rake, `mapping_service_hash`
(commit 9dd3a12e18eecc8a5848c44cbb332a6887969ff0). A name mapped to "" has no CTMS counterpart:
it is ignored (not a service requested).
"""

from __future__ import annotations

OSCAR_SERVICES: list[tuple[str, str, str]] = [
    ("Social Work / Case Work", "01ad068b-fbe1-4ba4-955b-701c39064ad1", "psychosocial"),
    ("Generalist social work / case work", "042ffb1c-51de-404b-b69b-fdb9e15c9d36", "psychosocial"),
    ("Community social work", "0568a6f3-68a5-4fff-91c4-aafe4cd606ba", "psychosocial"),
    ("Family Based Care", "070bc9bd-6b71-4dcb-8dc8-a27c39c4ade3", "shelter"),
    ("Emergency foster care", "155c6b46-ac10-4226-b9fd-6e117111b08c", "shelter"),
    ("Long term foster care", "1843eb37-7ec8-4131-8fb9-857559ac379b", "shelter"),
    ("Kinship care", "1a1accbd-90a9-4c71-a077-2595322744cb", "shelter"),
    ("Domestic adoption support", "1bd9f758-b332-4711-90df-67cf2da5fbef", "shelter"),
    ("Family preservation", "1f9219fd-39fb-4f78-be49-6d49e65e3a82", "reintegration"),
    ("Family reunification", "2292c429-1384-4f47-a5aa-dace6a7425fd", "family_tracing"),
    ("Independent Living", "2332dd46-0dd6-4de5-8dc4-9a231b3de9d4", "reintegration"),
    ("Drug/Alcohol", "23b00ad0-02b9-42c0-9fea-cc8e90a4385b", "psychosocial"),
    ("Drug and Alcohol Counselling", "2ce1dfad-250f-4b97-b297-cf93971c5199", "psychosocial"),
    ("Detox / rehabilitation services", "2eda5b5e-713a-4d8b-aba3-fc6677101583", "medical"),
    ("Detox support", "3084b947-db6c-49fd-b99b-aab64bc01e11", "medical"),
    ("Counselling", "30e4d990-a93c-4f5f-bf49-95d263e923f5", "psychosocial"),
    ("Generalist counselling", "318d3ae6-979d-47e7-9d94-2bb978102078", "psychosocial"),
    ("Counselling for abuse survivors", "31d3e688-3114-4c3b-9c7d-5108617ba045", "psychosocial"),
    ("Trauma counselling", "37cd9808-c417-4a19-9563-36ac7865e2f8", "psychosocial"),
    ("Family counselling / mediation", "3a3934a1-4e1f-4376-88f0-74aba189b616", "psychosocial"),
    ("Financial Development", "3bd845fd-5e43-43fb-a7c2-9681535b2777", "economic_support"),
    ("Direct material assistance", "3c36d45b-bf1a-4988-80b8-767183082d45", "economic_support"),
    ("Direct financial assistance", "4d1df9a8-1e90-40e3-b978-93d283a4a48d", "economic_support"),
    ("Income generation services", "583dea6d-c0e0-40d5-ba1f-ce4bf7ec1d43", "economic_support"),
    ("Day care services", "5935484c-22bf-42b3-b86f-826ae7decccc", "shelter"),
    ("Disability Support", "593b1bde-eb5f-474e-af4e-8acaee656888", "medical"),
    ("Disability respite care", "5fe1565f-b152-478e-952d-40ca8ed81a94", "shelter"),
    ("Disability-aid provision", "6a57e90a-80a1-49ee-abe9-b429b56c1591", "medical"),
    ("Peripheral supports", "6bd0d621-4a17-40dd-92c4-249270e44819", "medical"),
    ("Support groups", "71dc3014-9ff6-4fa2-9da8-ad9fe75be051", "psychosocial"),
    ("Medical Support", "763c430d-fc92-4755-87f5-dde8ff6076ee", "medical"),
    ("Support to access care", "7b97ef20-4c25-4d83-b2cb-60efc1ba300f", "medical"),
    ("Provision of medical care", "7c3fd50a-4ec0-45df-b359-d584cbd587af", "medical"),
    ("Medical training services", "7cf865ff-04df-42d1-b56c-0454869a8c5d", "medical"),
    ("Health education", "7dff4d85-3c89-4bcd-8130-25733419f46a", "medical"),
    ("Legal Support", "835dfb2d-2f17-45a1-96d3-8bdc304dc8ad", "legal"),
    ("Support to access legal services", "86659a7b-52d4-4208-b73d-2ddf4d6dd5cd", "legal"),
    ("Legal advocacy services", "8a601af1-b738-4ed8-b47e-fcd079c00b33", "legal"),
    ("Legal representation", "8f12963c-7b3a-4161-b40c-5ee2bbfd587b", "legal"),
    ("Prison visitation support", "920868cf-4586-47dd-8536-5c1159b950f1", "legal"),
    ("Mental Health Support", "922c33c9-25c4-4fdc-b32e-24e929eaac37", "psychosocial"),
    ("Therapeutic interventions", "9a3b4c0e-c2bb-4ca6-bbf2-23b7ae933af4", "medical"),
    ("Therapeutic training", "9ea024e4-9a6b-4e6e-a0d6-e65758ef5462", "medical"),
    ("Direct medical support", "a06ff170-2452-49b6-b357-257b9b741a4c", "medical"),
    ("Training and Education", "a3045453-e5a1-4a89-b442-443c062a4e63", "education"),
    ("School support", "a5647de9-4849-4106-a85c-6dbc0ac0ba50", "education"),
    ("Supplementary school education", "ac096f81-c062-4553-b933-8d0619d6afd6", "education"),
    (
        "Vocational education and training",
        "af088c36-d75f-4d8f-bc75-98d705faf625",
        "vocational_training",
    ),
    (
        "Material support for education (uniforms, etc)",
        "af99e68e-872b-4a6f-a6fc-785e1ba76db3",
        "education",
    ),
    ("Scholarships or financial support", "b3109dcc-cd03-44cd-b6cf-811dcfc246ff", "education"),
    ("Life skills", "c7db1f28-8235-409c-acfd-51b0a1d546c8", "education"),
    ("Family Support", "c9eb9132-b742-420a-8be5-dba9bfdbf4de", "economic_support"),
    ("Family support", "cb5bea66-c7eb-49ca-8fa7-a7d0ef0c889f", "economic_support"),
    ("Anti-Trafficking", "cbfd99bc-41bc-4686-be60-8cc70d6430c2", "psychosocial"),
    ("Rescue Services", "cd738c25-49ea-4089-8267-8b56cac6da86", "repatriation_support"),
    ("Transitional Accommodation", "cee0935f-e7c2-4905-9a97-dd98a740c527", "shelter"),
    ("Post-Trafficking Counseling", "d3df3fdb-1db2-463d-ae12-e43ee3e759fb", "psychosocial"),
    ("Community Reintegration Support", "defe205c-5f8c-42ba-b3f9-4d905b856b2f", "reintegration"),
    ("Other", "efc03a88-165f-412a-ba3a-ff6211c5a9ce", ""),
    ("Residential Care Institution", "eff810d3-f1ff-4c79-976c-c3fcf5d4e392", "shelter"),
    ("Other Service", "f1a4e827-19f7-4f96-90f6-69e35f73d867", ""),
    ("Not Specified", "f1a4e827-19f7-4f96-90f6-69e35f73d867", ""),
    ("Literacy Support", "f1d4c696-1de7-466e-8319-577a74bcc481", "education"),
]

BY_UUID = {uuid: code for _name, uuid, code in OSCAR_SERVICES}
BY_NAME = {name.casefold(): code for name, _uuid, code in OSCAR_SERVICES}
# CTMS code -> the OSCaR global service sent for it (the first, most general, of its names).
OUTBOUND = {
    "shelter": "Family Based Care",
    "medical": "Medical Support",
    "psychosocial": "Counselling",
    "legal": "Legal Support",
    "education": "Training and Education",
    "vocational_training": "Vocational education and training",
    "economic_support": "Financial Development",
    "job_placement": "Income generation services",
    "family_tracing": "Family reunification",
    "reintegration": "Community Reintegration Support",
    "repatriation_support": "Rescue Services",
}
UUID_OF = {name: uuid for name, uuid, _code in OSCAR_SERVICES}


def ctms_service(service: dict) -> str:
    """The CTMS code for one OSCaR service `{uuid, name}`: by UUID, else by name; "" if none."""
    return BY_UUID.get(str(service.get("uuid") or "")) or BY_NAME.get(
        str(service.get("name") or "").strip().casefold(), ""
    )


def oscar_service(code: str) -> dict:
    name = OUTBOUND[code]
    return {"uuid": UUID_OF[name], "name": name}
