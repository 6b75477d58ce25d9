"""The default scoring model: criteria with weights and the issues to rank.

A new round starts from these (or from the previous round's model) and an analyst can then
change the weights, add criteria and add issues. Each issue links to a CSA theme and to the
indicators that give evidence about it; the volume and trend suggestions use those
indicators (see :mod:`csa.strategic.suggestions`).
"""

from __future__ import annotations

import pandas as pd

#: code, name, description, weight, scale_min, scale_max, data_driven
DEFAULT_CRITERIA = [
    (
        "VOLUME",
        "Volume",
        "How much of it there is here, relative to the other partnerships (1 = among the "
        "least, 5 = among the most). A suggested score is computed from the linked indicators.",
        0.15,
        1,
        5,
        True,
    ),
    (
        "TREND",
        "Trend",
        "Direction of travel over the last year against the year before (1 = falling fast, "
        "3 = stable, 5 = rising fast). A suggested score is computed from the linked "
        "quarterly indicators.",
        0.15,
        1,
        5,
        True,
    ),
    (
        "HARM",
        "Severity of harm",
        "Physical, psychological and financial harm to victims, and harm to communities "
        "(1 = low, 5 = very serious).",
        0.25,
        1,
        5,
        False,
    ),
    (
        "VULN",
        "Vulnerability",
        "How far it affects children, repeat victims and people at risk (1 = rarely, "
        "5 = predominantly).",
        0.20,
        1,
        5,
        False,
    ),
    (
        "CONCERN",
        "Public concern",
        "How strongly residents raised it in consultation and surveys (1 = hardly, "
        "5 = a leading concern).",
        0.10,
        1,
        5,
        False,
    ),
    (
        "CAPACITY",
        "Organisational risk",
        "Gaps in partners' capacity and confidence to respond (1 = well resourced and "
        "effective, 5 = little capacity or confidence).",
        0.15,
        1,
        5,
        False,
    ),
]

#: code, name, CSA theme, linked indicators (comma-separated)
DEFAULT_ISSUES = [
    ("VIOLENCE", "Violent crime", "VIO", "REC-VWI,REC-VWOI,VIO-01,VIO-02"),
    ("DA", "Domestic abuse", "DA", "DA-01"),
    ("CSE", "Child sexual exploitation", "EXP", "EXP-01,EXP-02"),
    ("ASB", "Anti-social behaviour", "ASB", "ASB-01,ASB-02,REC-CDA"),
    ("SUBSTANCE", "Substance misuse", "DRG", "REC-DRUG,ALC-01,DRG-01"),
    ("ROAD", "Road safety", "ROAD", "ROAD-01"),
    ("REOFFEND", "Reoffending", "REO", "REO-01"),
    ("OCG", "Organised crime groups", "SOC", "REC-DRUG,REC-WEAP"),
    (
        "ACQUISITIVE",
        "Acquisitive crime",
        "REC",
        "REC-RBURG,REC-NRBURG,REC-VEH,REC-ROB,REC-TFTP,REC-BIKE,REC-SHOP,REC-OTHTHEFT",
    ),
    ("HATE", "Hate crime", None, ""),
]


def default_criteria() -> pd.DataFrame:
    return pd.DataFrame(
        DEFAULT_CRITERIA,
        columns=["code", "name", "description", "weight", "scale_min", "scale_max", "data_driven"],
    )


def default_issues() -> pd.DataFrame:
    return pd.DataFrame(DEFAULT_ISSUES, columns=["code", "name", "theme_code", "indicator_codes"])
