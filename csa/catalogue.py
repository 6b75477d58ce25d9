"""The bundled CSA catalogue: the agreement, its themes, lead organisations and indicators.

Key issues and contributory factors follow the Lancashire Community Safety Agreement.
Indicators marked ``data_kind="demo"`` have no public series that we could bundle: their
figures are a clearly labelled synthetic demonstration (see :mod:`csa.demo`). Indicators
marked ``"real"`` are built from the real public files in ``data/`` (see PROVENANCE.md).
"""

from __future__ import annotations

from datetime import date

EDITION = {
    "id": 1,
    "name": "Lancashire Community Safety Agreement 2024-2027",
    "start_date": date(2024, 4, 1),
    "end_date": date(2027, 3, 31),
    "is_current": True,
}

#: (code, name, kind, description)
THEMES = [
    (
        "DA",
        "Domestic abuse",
        "key_issue",
        "Domestic abuse in all its forms, including coercive control and stalking.",
    ),
    (
        "VIO",
        "Violence",
        "key_issue",
        "Serious violence and violence with injury, including knife crime and the night-time "
        "economy.",
    ),
    (
        "EXP",
        "Exploitation, criminal and sexual",
        "key_issue",
        "Child sexual exploitation, child criminal exploitation and county lines.",
    ),
    (
        "SOC",
        "Serious organised crime",
        "key_issue",
        "Organised crime groups and the harm they cause in communities.",
    ),
    ("ROAD", "Road safety", "key_issue", "People killed or seriously injured on the roads."),
    (
        "ASB",
        "Anti-social behaviour",
        "key_issue",
        "Anti-social behaviour, deliberate fires and criminal damage.",
    ),
    ("ALC", "Alcohol", "contributory_factor", "Alcohol misuse as a driver of crime and harm."),
    ("DRG", "Drugs", "contributory_factor", "Drug misuse and recovery from it."),
    ("REO", "Reoffending", "contributory_factor", "Reducing reoffending by adults."),
    (
        "PUK",
        "Police.uk street-level crime (context)",
        "context",
        "Crimes published on police.uk each month with a location in the area: real monthly "
        "figures. They are not Home Office recorded crime, and the 14 areas do not add up to "
        "the force total (records with no location count toward pan-Lancashire only).",
    ),
    (
        "REC",
        "Police recorded crime (context)",
        "context",
        "Home Office police recorded crime by Community Safety Partnership area, year ending "
        "June 2025: real figures, for comparing areas.",
    ),
]

ORGANISATIONS = [
    ("LANCS-POLICE", "Lancashire Constabulary"),
    ("LCC", "Lancashire County Council"),
    ("LCC-PH", "Lancashire County Council Public Health"),
    ("LVRN", "Lancashire Violence Reduction Network"),
    ("LRSP", "Lancashire Road Safety Partnership"),
    ("LFRS", "Lancashire Fire and Rescue Service"),
    ("PROBATION", "Probation Service (North West)"),
    ("CSAP", "Children's Safeguarding Assurance Partnership"),
    ("OPCC", "Office of the Police and Crime Commissioner for Lancashire"),
]

POLICE_UK_SOURCE = (
    "data.police.uk street-level crime, Lancashire Constabulary monthly files (Home Office / "
    "police forces, OGL v3.0), counted by CSP through the ONS LSOA 2011 to LAD 2020 lookup; "
    "rates use the ONS mid-year population estimate nearest the month (mid-2019, mid-2020 "
    "or mid-2022: no mid-2021 estimate is bundled). 2020-06, 2020-08 and 2020-09 are missing "
    "from the source and are gaps."
)

#: Indicators: code, theme, title, unit, multiplier, polarity, lead org, lead role,
#: public, definition, source, target (type, value, baseline period, tolerance %) or None.
#: ``frequency`` defaults to "quarterly" and ``data_kind`` to "demo" (a synthetic series
#: made by :mod:`csa.demo`); an indicator with ``data_kind="real"`` is built from data/.
INDICATORS = [
    dict(
        code="DA-01",
        theme="DA",
        title="Domestic abuse incidents and crimes",
        unit="rate",
        multiplier=1000,
        polarity="no_judgement",
        lead="LANCS-POLICE",
        lead_role="Detective Superintendent, Public Protection",
        public=True,
        definition="Domestic abuse-related incidents and crimes recorded by the police in the "
        "quarter, per 1,000 residents. A rise can mean more victims coming forward, "
        "so no direction is judged better.",
        source="Lancashire Constabulary, domestic abuse flag on incidents and crimes",
        target=None,
        rephase=(
            "2023-24 Q1",
            "the Home Office Counting Rules for stalking, harassment and "
            "controlling or coercive behaviour changed in May 2023",
        ),
    ),
    dict(
        code="DA-02",
        theme="DA",
        title="Domestic abuse crimes resulting in a charge or summons",
        unit="percentage",
        multiplier=100,
        polarity="high_is_good",
        lead="LANCS-POLICE",
        lead_role="Head of Criminal Justice",
        public=True,
        definition="Percentage of domestic abuse-related crimes recorded in the quarter whose "
        "outcome was a charge or summons.",
        source="Lancashire Constabulary crime outcomes",
        target=("fixed", 12.0, None, 10.0),
    ),
    dict(
        code="VIO-01",
        theme="VIO",
        title="Violence with injury",
        unit="rate",
        multiplier=1000,
        polarity="low_is_good",
        lead="LVRN",
        lead_role="Director, Lancashire Violence Reduction Network",
        public=True,
        definition="Violence with injury offences recorded by the police in the quarter, per "
        "1,000 residents.",
        source="Lancashire Constabulary recorded crime",
        target=("change_vs_baseline", -5.0, "2022-23", 5.0),
    ),
    dict(
        code="VIO-02",
        theme="VIO",
        title="Possession of weapons offences",
        unit="count",
        multiplier=1,
        polarity="low_is_good",
        lead="LVRN",
        lead_role="Director, Lancashire Violence Reduction Network",
        public=True,
        definition="Possession of weapons offences recorded by the police in the quarter.",
        source="Lancashire Constabulary recorded crime",
        target=("change_vs_baseline", -10.0, "2022-23", 5.0),
    ),
    dict(
        code="EXP-01",
        theme="EXP",
        title="Episodes of children missing from home or care",
        unit="count",
        multiplier=1,
        polarity="low_is_good",
        lead="LCC",
        lead_role="Head of Service, Children's Social Care",
        public=True,
        definition="Episodes of children reported missing from home or care in the quarter.",
        source="Police missing person reports and local authority returns",
        target=("change_vs_baseline", -5.0, "2022-23", 5.0),
    ),
    dict(
        code="EXP-02",
        theme="EXP",
        title="Referrals to the multi-agency exploitation panel",
        unit="count",
        multiplier=1,
        polarity="no_judgement",
        lead="CSAP",
        lead_role="Business Manager, Children's Safeguarding Assurance Partnership",
        public=True,
        definition="Children referred to the multi-agency child exploitation panel in the "
        "quarter for sexual or criminal exploitation concerns.",
        source="Multi-agency child exploitation panel records",
        target=None,
    ),
    dict(
        code="SOC-01",
        theme="SOC",
        title="Organised crime group disruptions",
        unit="count",
        multiplier=1,
        polarity="high_is_good",
        lead="LANCS-POLICE",
        lead_role="Head of Serious and Organised Crime Unit",
        public=False,
        definition="Recorded disruptions of mapped organised crime groups in the quarter "
        "(restricted: not shown to the public).",
        source="Lancashire Constabulary organised crime group mapping",
        target=("change_vs_baseline", 10.0, "2022-23", 10.0),
    ),
    dict(
        code="ROAD-01",
        theme="ROAD",
        title="People killed or seriously injured on the roads",
        unit="count",
        multiplier=1,
        polarity="low_is_good",
        lead="LRSP",
        lead_role="Road Safety Partnership Manager",
        public=True,
        definition="People killed or seriously injured in reported road collisions in the quarter.",
        source="Police STATS19 collision reports",
        target=("change_vs_baseline", -10.0, "2022-23", 5.0),
    ),
    dict(
        code="ASB-01",
        theme="ASB",
        title="Anti-social behaviour incidents",
        unit="rate",
        multiplier=1000,
        polarity="low_is_good",
        lead="LANCS-POLICE",
        lead_role="Chief Inspector, Neighbourhood Policing",
        public=True,
        definition="Anti-social behaviour incidents reported to Lancashire Constabulary in the "
        "month and published on police.uk with a location in the area, per 1,000 residents. "
        "Incidents published with no location, or located outside the 14 areas, count toward "
        "pan-Lancashire only (as 'Unassigned'), so the pan-Lancashire figure is the force total.",
        source=POLICE_UK_SOURCE,
        target=("change_vs_baseline", -5.0, "2021-22", 5.0),
        frequency="monthly",
        data_kind="real",
    ),
    dict(
        code="ASB-02",
        theme="ASB",
        title="Deliberate secondary fires",
        unit="count",
        multiplier=1,
        polarity="low_is_good",
        lead="LFRS",
        lead_role="Area Manager, Prevention and Protection",
        public=True,
        definition="Deliberate secondary fires (refuse, grassland, derelict vehicles) attended "
        "in the quarter.",
        source="Lancashire Fire and Rescue Service incident recording system",
        target=("change_vs_baseline", -5.0, "2022-23", 5.0),
    ),
    dict(
        code="ALC-01",
        theme="ALC",
        title="Alcohol-specific hospital admissions",
        unit="rate",
        multiplier=100000,
        polarity="low_is_good",
        lead="LCC-PH",
        lead_role="Consultant in Public Health",
        public=True,
        definition="Hospital admissions for alcohol-specific conditions in the quarter, per "
        "100,000 residents.",
        source="Hospital Episode Statistics, local extract",
        target=("change_vs_baseline", -3.0, "2022-23", 5.0),
    ),
    dict(
        code="DRG-01",
        theme="DRG",
        title="Successful completion of drug treatment (non-opiate)",
        unit="percentage",
        multiplier=100,
        polarity="high_is_good",
        lead="LCC-PH",
        lead_role="Commissioning Manager, Drug and Alcohol Services",
        public=True,
        definition="Percentage of adults in non-opiate drug treatment who completed it "
        "successfully and did not re-present within six months.",
        source="National Drug Treatment Monitoring System, local extract",
        target=("fixed", 33.0, None, 10.0),
    ),
    dict(
        code="REO-01",
        theme="REO",
        title="Proven reoffending by adults",
        unit="percentage",
        multiplier=100,
        polarity="low_is_good",
        lead="PROBATION",
        lead_role="Head of Probation Delivery Unit",
        public=True,
        definition="Percentage of adult offenders in the quarterly cohort who committed a proven "
        "reoffence within a year.",
        source="Ministry of Justice proven reoffending, local cohort",
        target=("fixed", 25.0, None, 5.0),
    ),
]

#: Real recorded-crime offence groups in the Home Office table (column, code, title).
RECORDED_CRIME_GROUPS = [
    ("total_recorded_crime_excl_fraud", "REC-TOTAL", "Total recorded crime (excluding fraud)"),
    ("violence_against_the_person", "REC-VAP", "Violence against the person"),
    ("homicide", "REC-HOM", "Homicide"),
    (
        "death_or_serious_injury_illegal_driving",
        "REC-DSIUD",
        "Death or serious injury caused by unlawful driving",
    ),
    ("violence_with_injury", "REC-VWI", "Violence with injury"),
    ("violence_without_injury", "REC-VWOI", "Violence without injury"),
    ("stalking_and_harassment", "REC-STALK", "Stalking and harassment"),
    ("sexual_offences", "REC-SEX", "Sexual offences"),
    ("robbery", "REC-ROB", "Robbery"),
    ("theft_offences", "REC-THEFT", "Theft offences"),
    ("burglary", "REC-BURG", "Burglary"),
    ("residential_burglary", "REC-RBURG", "Residential burglary"),
    ("non_residential_burglary", "REC-NRBURG", "Non-residential burglary"),
    ("vehicle_offences", "REC-VEH", "Vehicle offences"),
    ("theft_from_the_person", "REC-TFTP", "Theft from the person"),
    ("bicycle_theft", "REC-BIKE", "Bicycle theft"),
    ("shoplifting", "REC-SHOP", "Shoplifting"),
    ("all_other_theft_offences", "REC-OTHTHEFT", "All other theft offences"),
    ("criminal_damage_and_arson", "REC-CDA", "Criminal damage and arson"),
    ("drug_offences", "REC-DRUG", "Drug offences"),
    ("possession_of_weapons_offences", "REC-WEAP", "Possession of weapons offences"),
    ("public_order_offences", "REC-PUBORD", "Public order offences"),
    ("miscellaneous_crimes_against_society", "REC-MISC", "Miscellaneous crimes against society"),
]

#: Indicators that add up to others: parent code -> the codes of its parts. The Home Office
#: recorded-crime offence hierarchy (a parent's numerator is the sum of its parts' numerators
#: for every area and period; nested: REC-BURG is a part of REC-THEFT, which is a part of
#: REC-TOTAL). Only numerators that count the same thing are listed, so a parent minus its
#: shown parts is a hidden part's count: public disclosure control (:mod:`csa.disclosure`,
#: applied in :mod:`csa.publish`) audits these sums as well as the area groupings, and the
#: cost of crime adds its parts up (:mod:`csa.strategic.costs`). Checked against the data
#: in tests.
INDICATOR_PARTS: dict[str, tuple[str, ...]] = {
    "REC-VAP": ("REC-HOM", "REC-DSIUD", "REC-VWI", "REC-VWOI", "REC-STALK"),
    "REC-BURG": ("REC-RBURG", "REC-NRBURG"),
    "REC-THEFT": ("REC-BURG", "REC-VEH", "REC-TFTP", "REC-BIKE", "REC-SHOP", "REC-OTHTHEFT"),
    "REC-TOTAL": (
        "REC-VAP",
        "REC-SEX",
        "REC-ROB",
        "REC-THEFT",
        "REC-CDA",
        "REC-DRUG",
        "REC-WEAP",
        "REC-PUBORD",
        "REC-MISC",
    ),
}

RECORDED_CRIME_PERIOD = "YE Jun 2025"
RECORDED_CRIME_SOURCE = (
    "Home Office / ONS, Police recorded crime, Table C2 by Community Safety Partnership area, "
    "year ending June 2025 (OGL v3.0); rates use ONS mid-2022 population estimates, the "
    "latest bundled."
)

#: police.uk crime types (as in the source file) and the indicators they become: anti-social
#: behaviour is the key-issue indicator ASB-01, the 13 crime categories are context.
POLICE_UK_CATEGORIES = [
    ("Anti-social behaviour", "ASB-01", "Anti-social behaviour incidents"),
    ("Bicycle theft", "PUK-BIKE", "Bicycle theft (police.uk)"),
    ("Burglary", "PUK-BURG", "Burglary (police.uk)"),
    ("Criminal damage and arson", "PUK-CDA", "Criminal damage and arson (police.uk)"),
    ("Drugs", "PUK-DRUG", "Drugs (police.uk)"),
    ("Other crime", "PUK-OTHER", "Other crime (police.uk)"),
    ("Other theft", "PUK-OTHTHEFT", "Other theft (police.uk)"),
    ("Possession of weapons", "PUK-WEAP", "Possession of weapons (police.uk)"),
    ("Public order", "PUK-PUBORD", "Public order (police.uk)"),
    ("Robbery", "PUK-ROB", "Robbery (police.uk)"),
    ("Shoplifting", "PUK-SHOP", "Shoplifting (police.uk)"),
    ("Theft from the person", "PUK-TFTP", "Theft from the person (police.uk)"),
    ("Vehicle crime", "PUK-VEH", "Vehicle crime (police.uk)"),
    (
        "Violence and sexual offences",
        "PUK-VSO",
        "Violence and sexual offences (police.uk)",
    ),
]
#: The months the police.uk series spans (first, last as (year, month)); within it,
#: months missing from the source are gaps.
POLICE_UK_MONTHS = ((2019, 12), (2022, 10))
POLICE_UK_MISSING_MONTHS = ("2020-06", "2020-08", "2020-09")
