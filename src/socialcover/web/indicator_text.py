"""Indicator names and definitions of the monitoring registry, marked for translation.

The registry (:mod:`socialcover.monitor.registry`) writes them in English; the pages show them
through the gettext catalogues, and ``pybabel extract`` finds them here (``-k N_``).
``tests/web/test_indicator_text_in_sync.py`` fails when the registry and this list differ (add
the new texts here, then update the catalogues as docs/web.md says).
"""

# ruff: noqa: E501  (each text is one msgid, kept whole)

from __future__ import annotations

from socialcover.web.labels import N_

INDICATOR_TEXT: tuple[str, ...] = (
    N_("Population covered by at least one social protection benefit"),
    N_(
        "Persons receiving at least one contributory or non-contributory cash benefit, or actively contributing to at least one social security scheme, as a percentage of: total population (SDG 1.3.1)."
    ),
    N_("Children receiving child or family cash benefits"),
    N_(
        "Children (or households) receiving child or family cash benefits, as a percentage of: all children (or households with children) (SDG 1.3.1)."
    ),
    N_("Mothers with newborns receiving maternity cash benefits"),
    N_(
        "Women receiving maternity cash benefits, as a percentage of: women giving birth in the same year (SDG 1.3.1)."
    ),
    N_("Persons with severe disabilities receiving disability cash benefits"),
    N_(
        "Recipients of disability cash benefits, as a percentage of: persons with severe disabilities (who prevalence ratio x population) (SDG 1.3.1)."
    ),
    N_("Unemployed persons receiving unemployment cash benefits"),
    N_(
        "Recipients of unemployment cash benefits, as a percentage of: unemployed persons (SDG 1.3.1)."
    ),
    N_("Persons above statutory pensionable age receiving an old-age pension"),
    N_(
        "Persons above statutory pensionable age receiving an old-age pension, contributory or not, as a percentage of: persons above statutory pensionable age (SDG 1.3.1)."
    ),
    N_("Vulnerable persons receiving social assistance cash benefits"),
    N_(
        "Recipients of social assistance cash benefits, as a percentage of: vulnerable persons: all children, adults not covered by contributory benefits and persons above pensionable age not receiving contributory benefits (SDG 1.3.1)."
    ),
    N_("Poor persons receiving social assistance cash benefits"),
    N_(
        "Recipients of social assistance cash benefits, as a percentage of: population below the national poverty line (SDG 1.3.1)."
    ),
    N_("Employed persons protected in case of employment injury"),
    N_(
        "Workers protected by employment-injury insurance, as a percentage of: total employment (or the labour force) (SDG 1.3.1)."
    ),
    N_("Public social protection expenditure, excluding health, % of GDP"),
    N_(
        "Public expenditure on social protection benefits (all guarantees except health care) and their administration, as a percentage of GDP."
    ),
    N_("Public expenditure on child and family cash benefits, % of GDP"),
    N_(
        "Public expenditure on child and family cash benefits and their administration, as a percentage of GDP: current spending on the same guarantee of the social protection floor, which the report subtracts from the cost of the guarantee for the financing gap."
    ),
    N_("Public expenditure on maternity cash benefits, % of GDP"),
    N_(
        "Public expenditure on maternity cash benefits and their administration, as a percentage of GDP: current spending on the same guarantee of the social protection floor, which the report subtracts from the cost of the guarantee for the financing gap."
    ),
    N_("Public expenditure on disability cash benefits, % of GDP"),
    N_(
        "Public expenditure on disability cash benefits and their administration, as a percentage of GDP: current spending on the same guarantee of the social protection floor, which the report subtracts from the cost of the guarantee for the financing gap."
    ),
    N_("Public expenditure on old-age pensions, % of GDP"),
    N_(
        "Public expenditure on old-age pensions and their administration, as a percentage of GDP: current spending on the same guarantee of the social protection floor, which the report subtracts from the cost of the guarantee for the financing gap."
    ),
    N_("Population covered by at least one social protection benefit (SDG 1.3.1)"),
    N_(
        "Persons receiving at least one cash benefit or actively contributing, over: total population."
    ),
    N_(
        "Children (0 to child_age_max) in a household receiving a child or family benefit, over: children (0 to child_age_max)."
    ),
    N_(
        "Women who gave birth in the reference year and receive a maternity cash benefit, over: women who gave birth in the reference year."
    ),
    N_("Persons above pensionable age receiving an old-age pension"),
    N_(
        "Persons aged pensionable_age or more receiving an old-age pension (contributory or not), over: persons aged pensionable_age or more."
    ),
    N_(
        "Persons with severe disabilities receiving a disability cash benefit, over: persons with severe disabilities (as reported in the survey)."
    ),
    N_("Unemployed persons receiving an unemployment cash benefit, over: unemployed persons."),
    N_(
        "Employed persons contributing to social insurance or receiving an employment-injury benefit, over: employed persons."
    ),
    N_("Vulnerable persons receiving social assistance"),
    N_(
        "Vulnerable persons receiving social assistance cash benefits, over: children, plus adults not contributing and not receiving contributory benefits, plus persons above pensionable age not receiving contributory benefits."
    ),
    N_("Poor persons receiving social assistance"),
    N_(
        "Persons below the poverty line receiving social assistance cash benefits, over: persons below the poverty line."
    ),
    N_("Employed persons contributing to social security"),
    N_(
        "Employed persons actively contributing to a social security scheme, over: employed persons."
    ),
    N_("Working-age persons contributing to social security"),
    N_(
        "Persons of working age actively contributing to a social security scheme, over: persons of working age (parameters.working_age, 15-64 by default)."
    ),
    N_("Informally employed persons contributing to social security"),
    N_(
        "Persons in informal employment actively contributing to a social security scheme, over: persons in informal employment (ilo rules)."
    ),
    N_("Coverage of child benefits (direct and indirect beneficiaries)"),
    N_(
        "Persons living in a household where at least one member receives child benefits, over: persons in the group."
    ),
    N_("Coverage of maternity benefits (direct and indirect beneficiaries)"),
    N_(
        "Persons living in a household where at least one member receives maternity benefits, over: persons in the group."
    ),
    N_("Coverage of disability benefits (direct and indirect beneficiaries)"),
    N_(
        "Persons living in a household where at least one member receives disability benefits, over: persons in the group."
    ),
    N_("Coverage of unemployment benefits (direct and indirect beneficiaries)"),
    N_(
        "Persons living in a household where at least one member receives unemployment benefits, over: persons in the group."
    ),
    N_("Coverage of old age benefits (direct and indirect beneficiaries)"),
    N_(
        "Persons living in a household where at least one member receives old age benefits, over: persons in the group."
    ),
    N_("Coverage of social assistance benefits (direct and indirect beneficiaries)"),
    N_(
        "Persons living in a household where at least one member receives social assistance benefits, over: persons in the group."
    ),
    N_("Coverage of employment injury benefits (direct and indirect beneficiaries)"),
    N_(
        "Persons living in a household where at least one member receives employment injury benefits, over: persons in the group."
    ),
    N_("Coverage of any programme (direct and indirect beneficiaries)"),
    N_(
        "Persons living in a household where at least one member receives any programme, over: persons in the group."
    ),
    N_("Beneficiary incidence by welfare quintile"),
    N_(
        "Persons in beneficiary households in the quintile, over: persons in beneficiary households."
    ),
    N_("Benefit incidence by welfare quintile"),
    N_("Transfers received by persons in the quintile, over: all transfers."),
    N_("Adequacy of benefits"),
    N_(
        "Transfers received by beneficiary households (per welfare unit), over: welfare of beneficiary households (per welfare unit)."
    ),
    N_("Reduction in the poverty headcount due to transfers"),
    N_("Pre-transfer poor minus post-transfer poor, over: pre-transfer poor."),
    N_("Reduction in the poverty gap due to transfers"),
    N_("Pre-transfer poverty gap minus post-transfer poverty gap, over: pre-transfer poverty gap."),
    N_("Reduction in the Gini index due to transfers"),
    N_("Pre-transfer Gini minus post-transfer Gini, over: pre-transfer gini."),
    N_("Benefit-cost ratio: poverty gap reduction per unit of currency spent"),
    N_("Reduction of the total poverty gap (money), over: total transfers (money)."),
    N_("Exclusion error of social assistance"),
    N_(
        "Pre-transfer poor persons in households not receiving social assistance, over: pre-transfer poor persons."
    ),
    N_("Inclusion error of social assistance"),
    N_(
        "Persons in households receiving social assistance who are not pre-transfer poor, over: persons in households receiving social assistance."
    ),
    N_("Cost of closing the coverage gap, % of GDP"),
    N_(
        "Yearly cost of the universal benefit package of a costing scenario, benefits and administration, as a percentage of GDP."
    ),
    N_("Financing gap of the universal package, % of GDP"),
    N_(
        "Cost of the universal package minus current spending on the same guarantees (never below zero per benefit), as a percentage of GDP."
    ),
    N_("Countries with a completed diagnosis"),
    N_(
        "Number of countries whose engagement had completed its diagnosis (assessment matrix and capacity diagnostic) by the end of the year."
    ),
    N_("Countries with a costed set of options"),
    N_(
        "Number of countries whose engagement had a costed set of policy options by the end of the year."
    ),
    N_("Countries with an endorsed national strategy"),
    N_(
        "Number of countries whose national strategy had been endorsed by government, employers and workers by the end of the year."
    ),
    N_("People trained"),
    N_("Number of participants of the campaign's training held in the year, by sex."),
    N_("People trained: governments"),
    N_(
        "Number of participants of the campaign's training held in the year who belong to governments, by sex."
    ),
    N_("People trained: employers' organisations"),
    N_(
        "Number of participants of the campaign's training held in the year who belong to employers' organisations, by sex."
    ),
    N_("People trained: workers' organisations"),
    N_(
        "Number of participants of the campaign's training held in the year who belong to workers' organisations, by sex."
    ),
    N_("People trained: other organisations"),
    N_(
        "Number of participants of the campaign's training held in the year who belong to other organisations, by sex."
    ),
    N_("Events held"),
    N_("Number of the campaign's events (seminars, meetings, workshops) held in the year."),
    N_("Publications downloaded"),
    N_(
        "Number of downloads of the campaign's publications in the year (to the month of the count for the current year)."
    ),
    N_("Practices documented"),
    N_("Number of practices (good, bad or mixed) published in the practice library in the year."),
    N_("Evaluations completed"),
    N_(
        "Number of published evaluations (of programmes, country engagements, practices or the campaign) that ended in the year."
    ),
)
"""Every indicator name and definition of the registry, in registry order."""
