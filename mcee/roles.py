"""The roles of the MCEE, as Django groups. Data only: app labels and codenames are strings, so this
module imports no app. A migration creates the groups; ``mcee.access`` reads the same table.

Model permissions here say what a role may do to a kind of object at all; which objects of that
kind it may see or change is decided object by object in ``mcee.access``.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ALL = (VIEW, ADD, CHANGE, DELETE)

# Every protected model, by app label and model name.
PORTFOLIO = ["projects.envelope", "projects.priorityarea", "projects.partner", "projects.project",
             "projects.projectcountry", "projects.fundingline"]
COUNTRY_DATA = ["countries.country", "countries.countryclassification", "countries.asylumstatistic",
                "countries.traveldocumentcase", "countries.traveldocumentmonth", "countries.timelinesstarget"]
REFERENCE = ["engagements.department"]
ENGAGEMENT_DATA = ["engagements.engagement", "engagements.followup"]
# Key messages for diplomatic use: MCET writes and approves them; others read the approved ones.
KEY_MESSAGES = ["projects.keymessage"]
# The responsibility matrix (RACI) and dissemination: MCET maintains them; others read them.
RESPONSIBILITIES = ["engagements.responsibilityactivity", "engagements.responsibility"]
DISSEMINATION = ["engagements.disseminationplan", "engagements.distribution", "engagements.distributionrecipient"]
MCET_MAINTAINED = KEY_MESSAGES + RESPONSIBILITIES + DISSEMINATION
# The Removals Working Group's records; escalation is for MCET and the RWG only.
RWG_RECORDS = ["engagements.rwgmeeting", "engagements.rwgdecision"]
PLANS = ["engagements.engagementplan", "engagements.planindicator"]
ESCALATION = ["engagements.escalationstep"]
# Calls for proposals, proposals and their review (issue 7): MCET runs them; the RWG reads them and
# records its endorsement; auditors read them. State changes are written by the workflow service only.
PROPOSALS = ["projects.callforproposals", "projects.proposal", "projects.proposalcountry",
             "projects.proposalbudgetline", "projects.proposaldocument", "projects.review"]
PROPOSAL_HISTORY = ["projects.proposaltransition"]
PROPOSAL_ENDORSEMENT = ["projects.proposalendorsement"]
ALL_PROPOSAL_RECORDS = PROPOSALS + PROPOSAL_HISTORY + PROPOSAL_ENDORSEMENT
# The results framework (issue 7): the logic model, PMF indicators, project results, indicators and periods.
# MCET maintains them; the RWG, auditors and department officers read them (officers: of the projects they see).
RESULTS = ["projects.outcome", "projects.envelopeindicator", "projects.result", "projects.indicator",
           "projects.indicatorperiod"]
# Partner reporting: schedules, reports and their values are MCET's; a partner's reporters fill their own.
REPORTING = ["projects.reportschedule", "projects.partnerreport", "projects.partnerreportvalue"]
REPORT_HISTORY = ["projects.partnerreporttransition"]  # written by the reporting service only
# Records of the system itself: the audit trail and import runs.
IMPORT_RUNS = {"mcee.importrun": ("view",)}
AUDIT_TRAIL = {"auditlog.logentry": ("view",)}
# The preventive ranking's weights (a Wagtail setting): MCET administrators only.
RANKING_WEIGHTS = {"countries.preventiverankingweights": ("change", "view")}
# Asylum statistics are published figures: department officers read them too.
ASYLUM_STATISTICS = ["countries.asylumstatistic"]
# Travel-document data (CBSA's anonymized extracts): department officers read it.
TRAVEL_DOCUMENTS = ["countries.traveldocumentcase", "countries.traveldocumentmonth", "countries.timelinesstarget"]


@dataclass(frozen=True)
class Role:
    code: str
    group_name: str
    label: str
    description: str
    model_perms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    extra_perms: tuple[str, ...] = ()  # "app_label.codename"


def _perms(models, actions):
    return {m: tuple(actions) for m in models}


ADMIN_ACCESS = ("wagtailadmin.access_admin",)
# System accounts of other systems and their API tokens (Settings → API tokens): administrators only.
API_TOKEN_MANAGEMENT = ("mcee.view_systemaccount", "mcee.add_systemaccount", "mcee.change_systemaccount",
                        "mcee.view_apitoken", "mcee.add_apitoken", "mcee.change_apitoken")
USER_MANAGEMENT = ("auth.add_user", "auth.change_user", "auth.delete_user", "auth.view_user",
                   "auth.add_group", "auth.change_group", "auth.delete_group", "auth.view_group")

MCET_ADMIN = Role(
    "mcet_admin", "MCET administrators", _("MCET administrator"),
    _("Everything, including users, groups and access grants."),
    {**_perms(PORTFOLIO + COUNTRY_DATA + REFERENCE + ENGAGEMENT_DATA + RWG_RECORDS + PLANS + ESCALATION
              + MCET_MAINTAINED, ALL),
     **AUDIT_TRAIL, **IMPORT_RUNS, **RANKING_WEIGHTS,
     **_perms(PROPOSALS + PROPOSAL_ENDORSEMENT, ALL), **_perms(PROPOSAL_HISTORY, (VIEW,)),
     **_perms(RESULTS + REPORTING, ALL), **_perms(REPORT_HISTORY, (VIEW,))},
    ADMIN_ACCESS + USER_MANAGEMENT + API_TOKEN_MANAGEMENT,
)
MCET_STAFF = Role(
    "mcet_staff", "MCET staff", _("MCET staff"),
    _("All portfolio, country, engagement and brief data; cannot manage users."),
    {**_perms(PORTFOLIO + COUNTRY_DATA + ENGAGEMENT_DATA + RWG_RECORDS + PLANS + ESCALATION + MCET_MAINTAINED, ALL),
     **_perms(REFERENCE, (VIEW,)), **IMPORT_RUNS,
     **_perms(PROPOSALS + PROPOSAL_ENDORSEMENT, ALL), **_perms(PROPOSAL_HISTORY, (VIEW,)),
     **_perms(RESULTS + REPORTING, ALL), **_perms(REPORT_HISTORY, (VIEW,))},
    ADMIN_ACCESS,
)
RWG_MEMBER = Role(
    "rwg_member", "RWG members", _("Removals Working Group member"),
    _("Reads what meetings need, engagement plans and escalation included; records RWG decisions."),
    {**_perms(PORTFOLIO + COUNTRY_DATA + REFERENCE + ENGAGEMENT_DATA + PLANS + ESCALATION + MCET_MAINTAINED,
              (VIEW,)),
     **_perms(RWG_RECORDS, (VIEW, ADD, CHANGE)),
     **_perms(PROPOSALS + PROPOSAL_HISTORY, (VIEW,)), **_perms(PROPOSAL_ENDORSEMENT, (VIEW, ADD, CHANGE)),
     **_perms(RESULTS + REPORTING + REPORT_HISTORY, (VIEW,))},
    ADMIN_ACCESS,
)
AUDITOR = Role(
    "auditor", "Auditors", _("Auditor"),
    _("Reads everything, the audit trail included; changes nothing."),
    {**_perms(PORTFOLIO + COUNTRY_DATA + REFERENCE + ENGAGEMENT_DATA + RWG_RECORDS + PLANS + MCET_MAINTAINED,
              (VIEW,)),
     **AUDIT_TRAIL, **IMPORT_RUNS, **_perms(ALL_PROPOSAL_RECORDS + RESULTS + REPORTING + REPORT_HISTORY, (VIEW,))},
    ADMIN_ACCESS,
)

# One group per partner department; they share the same permissions, scoped to their department.
OFFICER_DEPARTMENTS = ["cbsa", "gac", "ps", "ircc"]
OFFICER_GROUP_NAMES = {"cbsa": "CBSA officers", "gac": "GAC officers", "ps": "Public Safety officers",
                       "ircc": "IRCC officers (outside MCET)"}


def department_officer_role(department_code: str) -> Role:
    return Role(
        f"officer_{department_code}", OFFICER_GROUP_NAMES[department_code], _("Department officer"),
        _("Reads countries, projects and their results, approved key messages and briefs; logs engagements "
          "and changes those of its own department."),
        {**_perms(["projects.project", "projects.partner", "projects.priorityarea", "projects.projectcountry"]
                  + COUNTRY_DATA[:1] + ASYLUM_STATISTICS + TRAVEL_DOCUMENTS + REFERENCE + KEY_MESSAGES
                  + RESPONSIBILITIES + DISSEMINATION[:2] + RESULTS, (VIEW,)),
         **_perms(ENGAGEMENT_DATA, ALL),
         # Acknowledging what reached the department is a change to its recipient row.
         **_perms(DISSEMINATION[2:], (VIEW, CHANGE))},
        ADMIN_ACCESS,
    )


def partner_reporter_group_name(partner_acronym: str) -> str:
    return f"{partner_acronym}{PARTNER_REPORTER_SUFFIX}"


PARTNER_REPORTER = "partner_reporter"
PARTNER_REPORTER_SUFFIX = " reporters"


def partner_reporter_role(partner_acronym: str) -> Role:
    return Role(
        PARTNER_REPORTER, partner_reporter_group_name(partner_acronym),
        _("Implementing-partner reporter"),
        _("Sees its own partner's projects only and reports their progress."),
        {**_perms(["projects.project", "projects.partner", "projects.projectcountry", "projects.fundingline",
                   "projects.outcome", "projects.result", "projects.indicator", "projects.indicatorperiod",
                   "projects.reportschedule"] + REPORT_HISTORY, (VIEW,)),
         # Its own reports only, while they are to be submitted or returned (projects.access.ReportRule).
         "projects.partnerreport": (VIEW, CHANGE), "projects.partnerreportvalue": (VIEW, ADD, CHANGE)},
        ADMIN_ACCESS,
    )


STANDING_ROLES = [MCET_ADMIN, MCET_STAFF, RWG_MEMBER, AUDITOR] + [
    department_officer_role(code) for code in OFFICER_DEPARTMENTS
]


def role_permission_names(role: Role) -> set[str]:
    """Every permission of a role as ``app_label.codename``."""
    names = set(role.extra_perms)
    for model, actions in role.model_perms.items():
        app_label, model_name = model.split(".")
        names |= {f"{app_label}.{action}_{model_name}" for action in actions}
    return names


def sync_role_group(role: Role, Group, Permission) -> None:  # noqa: N803 (models passed in, also from migrations)
    """Create or update a role's group so it holds exactly the role's permissions."""
    group, _created = Group.objects.get_or_create(name=role.group_name)
    wanted = role_permission_names(role)
    perms = []
    for name in sorted(wanted):
        app_label, codename = name.split(".")
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm is None:
            raise LookupError(f"Permission {name} does not exist; run migrate first.")
        perms.append(perm)
    group.permissions.set(perms)


def role_codes_for_groups(group_names) -> set[str]:
    """The role codes held through these groups: standing roles by name, partner reporters by suffix."""
    by_name = {role.group_name: role.code for role in STANDING_ROLES}
    codes = {by_name[name] for name in group_names if name in by_name}
    if any(name.endswith(PARTNER_REPORTER_SUFFIX) for name in group_names):
        codes.add(PARTNER_REPORTER)
    return codes
