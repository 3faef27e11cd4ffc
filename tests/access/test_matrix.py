"""The access matrix: every role x every protected model x every action, from one table.

``EXPECTED`` is the whole policy in one place. ``test_table_covers_everything`` fails when a
protected model or a role is added without a row here, so nothing can be forgotten silently.
For each cell the test checks both the objects inside the role's reach and those outside it:
  ALL    both allowed
  SCOPED only the inside object allowed; the outside one is refused (and absent from listings)
  NONE   both refused
"""

import pytest
from django.urls import reverse
from django.utils.html import escape

from mcee import access
from mcee.formatting import format_number
from mcee.roles import STANDING_ROLES

ALL, SCOPED, NONE = "all", "scoped", "none"
ACTIONS = ("list", "view", "change", "delete", "export")
PORTFOLIO = ["projects.project", "projects.partner", "projects.projectcountry", "projects.fundingline",
             "projects.priorityarea", "projects.envelope"]
COUNTRY_DATA = ["countries.country", "countries.countryclassification", "countries.asylumstatistic",
                "countries.traveldocumentcase", "countries.traveldocumentmonth", "countries.timelinesstarget"]
# Travel-document data (anonymized CBSA extracts): department officers read all of it.
TD_READ = {"countries.traveldocumentcase": {"list": "all", "view": "all", "export": "all", "change": "none",
                                            "delete": "none"}}
TD_READ["countries.traveldocumentmonth"] = TD_READ["countries.timelinesstarget"] = TD_READ[
    "countries.traveldocumentcase"]
RWG = ["engagements.rwgmeeting", "engagements.rwgdecision", "engagements.engagementplan",
       "engagements.planindicator", "engagements.escalationstep"]
# MCET maintains these; others read them (key messages: the approved ones only, outside MCET).
MCET_MAINTAINED = ["projects.keymessage", "engagements.responsibilityactivity", "engagements.responsibility",
                   "engagements.disseminationplan", "engagements.distribution", "engagements.distributionrecipient"]
MODELS = PORTFOLIO + COUNTRY_DATA + ["engagements.department", "engagements.engagement", "engagements.followup",
                                     "auditlog.logentry", "mcee.importrun"] + RWG + MCET_MAINTAINED
# Calls for proposals, proposals and their review (issue 7): MCET, the RWG and auditors only.
PROPOSALS = ["projects.callforproposals", "projects.proposal", "projects.proposalcountry",
             "projects.proposalbudgetline", "projects.proposaldocument", "projects.proposaltransition",
             "projects.proposalendorsement", "projects.review"]
MODELS += PROPOSALS
# The results framework and partner reporting (issue 7, second part).
RESULTS = ["projects.outcome", "projects.envelopeindicator", "projects.result", "projects.indicator",
           "projects.indicatorperiod"]
REPORTING = ["projects.reportschedule", "projects.partnerreport", "projects.partnerreportvalue",
             "projects.partnerreporttransition"]
MODELS += RESULTS + REPORTING


def row(read, write=NONE):
    return {"list": read, "view": read, "export": read, "change": write, "delete": write}


def everything(read, write=NONE, **overrides):
    table = {model: row(read, write) for model in MODELS}
    table.update(overrides)
    return table


# The RWG records meetings and decisions (adds and corrects, never deletes) and reads plans and
# escalation; auditors read meetings, decisions (not escalation ones), plans, but no escalation.
RWG_MEMBER_RWG = {
    "engagements.rwgmeeting": {**row(ALL), "change": ALL},
    "engagements.rwgdecision": {**row(ALL), "change": ALL},
    "projects.keymessage": row(SCOPED),  # the world's inside message is approved, the outside one a draft
}


def officer(engagement_reach):
    """What every department officer reads, with the reach of its own department's records:
    SCOPED (the world's inside records are CBSA's), "reversed" (GAC's are the outside ones) or NONE."""
    return {
        "projects.project": row(SCOPED),  # not projects whose funding is still being decided
        "projects.partner": row(ALL),
        "projects.projectcountry": row(SCOPED),
        "projects.priorityarea": row(ALL),
        "projects.keymessage": row(SCOPED),  # approved messages only
        "countries.country": row(ALL),
        "countries.asylumstatistic": row(ALL),  # published figures, like the countries themselves
        **TD_READ,
        "engagements.department": row(ALL),
        "engagements.engagement": row(engagement_reach, engagement_reach),  # its department's only
        "engagements.followup": row(engagement_reach, engagement_reach),
        "engagements.responsibilityactivity": row(ALL),
        "engagements.responsibility": row(ALL),
        "engagements.disseminationplan": row(ALL),
        "engagements.distribution": row(engagement_reach),  # what was sent to its department
        # acknowledging is changing its own department's recipient row; never deleting it
        "engagements.distributionrecipient": {**row(engagement_reach, engagement_reach), "delete": NONE},
        # the logic model and the PMF; results of the projects they see (not those still in the pipeline)
        "projects.outcome": row(ALL),
        "projects.envelopeindicator": row(ALL),
        "projects.result": row(SCOPED),
        "projects.indicator": row(SCOPED),
        "projects.indicatorperiod": row(SCOPED),
    }
AUDITOR_RWG = {"engagements.rwgdecision": row(SCOPED), "engagements.escalationstep": row(NONE)}


EXPECTED = {
    "mcet_admin": everything(ALL, ALL, **{"auditlog.logentry": row(ALL), "mcee.importrun": row(ALL)}),
    "mcet_staff": everything(ALL, ALL, **{"engagements.department": row(ALL), "auditlog.logentry": row(NONE),
                                          "mcee.importrun": row(ALL)}),
    "rwg_member": everything(ALL, **{"auditlog.logentry": row(NONE), "mcee.importrun": row(NONE), **RWG_MEMBER_RWG}),
    "auditor": everything(ALL, **AUDITOR_RWG),
    "officer_cbsa": everything(NONE, **officer(SCOPED)),
    # The "inside" records of the world are CBSA's: for GAC it is the other way round.
    "officer_gac": everything(NONE, **officer("reversed")),
    # Neither engagement involves Public Safety.
    "officer_ps": everything(NONE, **officer(NONE)),
    "partner_reporter": everything(NONE, **{
        "projects.project": row(SCOPED),
        "projects.partner": row(SCOPED),
        "projects.projectcountry": row(SCOPED),
        "projects.fundingline": row(SCOPED),
        # its own partner's results and reports; it fills its open reports (the inside one is to be submitted)
        "projects.outcome": row(ALL),
        "projects.result": row(SCOPED),
        "projects.indicator": row(SCOPED),
        "projects.indicatorperiod": row(SCOPED),
        "projects.reportschedule": row(SCOPED),
        "projects.partnerreport": {**row(SCOPED), "change": SCOPED},
        "projects.partnerreportvalue": {**row(SCOPED), "change": SCOPED},
        "projects.partnerreporttransition": row(SCOPED),
    }),
    "no_role": everything(NONE),
}
EXPECTED["officer_ircc"] = EXPECTED["officer_ps"]
# Proposal state changes are written by the workflow only (never edited); the RWG records its endorsement.
for _role in ("mcet_admin", "mcet_staff"):
    EXPECTED[_role]["projects.proposaltransition"] = row(ALL)
EXPECTED["rwg_member"]["projects.proposalendorsement"] = {**row(ALL), "change": ALL}
# Report status changes are written by the reporting service only.
for _role in ("mcet_admin", "mcet_staff"):
    EXPECTED[_role]["projects.partnerreporttransition"] = row(ALL)

CELLS = [(role, model) for role in EXPECTED for model in MODELS]


def test_table_covers_everything():
    registered = {m._meta.label_lower for m in access.protected_models()}
    assert registered == set(MODELS), "a protected model has no row in EXPECTED (or the table names a stray one)"
    roles = {r.code for r in STANDING_ROLES} | {"partner_reporter", "no_role"}
    assert roles == set(EXPECTED)
    for role, table in EXPECTED.items():
        assert set(table) == set(MODELS), role
        for model, actions in table.items():
            assert set(actions) == set(ACTIONS), (role, model)


def _expect(kind, action):
    """(inside allowed, outside allowed) for an expectation."""
    return {ALL: (True, True), SCOPED: (True, False), NONE: (False, False), "reversed": (False, True)}[kind]


@pytest.mark.parametrize(("role", "model"), CELLS)
def test_policy(role, model, world, user_with_role):
    user = user_with_role(role)
    inside, outside = world[model]
    for action in ACTIONS:
        want_inside, want_outside = _expect(EXPECTED[role][model][action], action)
        assert bool(access.can(user, action, inside)) is want_inside, (role, model, action, "inside")
        assert bool(access.can(user, action, outside)) is want_outside, (role, model, action, "outside")
        listed = set(access.visible(user, type(inside), action).values_list("pk", flat=True))
        assert (inside.pk in listed) is want_inside, (role, model, action, "listed inside")
        assert (outside.pk in listed) is want_outside, (role, model, action, "listed outside")


# Models with their own admin screens; the others are edited inside their parent's form.
ADMIN_URLS = {
    "projects.project": "wagtailsnippets_projects_project",
    "projects.partner": "wagtailsnippets_projects_partner",
    "projects.priorityarea": "wagtailsnippets_projects_priorityarea",
    "projects.envelope": "wagtailsnippets_projects_envelope",
    "countries.country": "wagtailsnippets_countries_country",
    "countries.asylumstatistic": "wagtailsnippets_countries_asylumstatistic",
    "countries.traveldocumentcase": "wagtailsnippets_countries_traveldocumentcase",
    "countries.traveldocumentmonth": "wagtailsnippets_countries_traveldocumentmonth",
    "countries.timelinesstarget": "wagtailsnippets_countries_timelinesstarget",
    "engagements.department": "wagtailsnippets_engagements_department",
    "engagements.engagement": "wagtailsnippets_engagements_engagement",
    "auditlog.logentry": "audit_trail",
    "mcee.importrun": "import_runs",
    "engagements.rwgmeeting": "wagtailsnippets_engagements_rwgmeeting",
    "engagements.rwgdecision": "wagtailsnippets_engagements_rwgdecision",
    "engagements.engagementplan": "wagtailsnippets_engagements_engagementplan",
    "engagements.escalationstep": "wagtailsnippets_engagements_escalationstep",
    "projects.callforproposals": "wagtailsnippets_projects_callforproposals",
    "projects.proposal": "wagtailsnippets_projects_proposal",
    "projects.review": "wagtailsnippets_projects_review",
    "projects.keymessage": "wagtailsnippets_projects_keymessage",
    "engagements.followup": "wagtailsnippets_engagements_followup",
    "engagements.responsibilityactivity": "wagtailsnippets_engagements_responsibilityactivity",
    "engagements.responsibility": "wagtailsnippets_engagements_responsibility",
    "engagements.disseminationplan": "wagtailsnippets_engagements_disseminationplan",
    "engagements.distribution": "wagtailsnippets_engagements_distribution",
    "projects.outcome": "wagtailsnippets_projects_outcome",
    "projects.envelopeindicator": "wagtailsnippets_projects_envelopeindicator",
    "projects.result": "wagtailsnippets_projects_result",
    "projects.indicator": "wagtailsnippets_projects_indicator",
    "projects.reportschedule": "wagtailsnippets_projects_reportschedule",
    "projects.partnerreport": "wagtailsnippets_projects_partnerreport",
}
ADMIN_CELLS = [(role, model) for role in EXPECTED for model in ADMIN_URLS]


def _marker(obj, export=False):
    """Text that appears on a page (or in an export) only when this object is shown."""
    if hasattr(obj, "due_days") or (hasattr(obj, "due_on") and hasattr(obj, "narrative")):
        return obj.project.reference  # report schedules and partner reports: their project
    if hasattr(obj, "outcome") and hasattr(obj, "title_en"):  # project results
        return obj.title_en
    if hasattr(obj, "value_for_money"):  # proposal reviews: their proposal's title
        return obj.proposal.title_en
    if hasattr(obj, "opens_on") or hasattr(obj, "requested_amount"):  # calls for proposals, proposals
        return obj.title_en
    if hasattr(obj, "evidence") and hasattr(obj, "text_en"):  # key messages
        return obj.text_en
    if hasattr(obj, "owner_department"):  # follow-up actions
        return obj.action
    if hasattr(obj, "activity"):  # responsibilities: the department, as the listing or the export names it
        return obj.department.code if export else str(obj.department)
    if hasattr(obj, "sort_order") and hasattr(obj, "name_en"):  # priority areas, responsibility activities
        return obj.name_en if export else str(escape(obj.name_en))  # a page escapes the apostrophe
    if hasattr(obj, "audience_departments"):  # dissemination plans
        return obj.title_en
    if hasattr(obj, "plan") and hasattr(obj, "item"):  # distributions
        return obj.title
    if hasattr(obj, "lead_department"):  # engagements
        return obj.counterpart_institution
    if hasattr(obj, "meeting"):  # RWG decisions
        return obj.summary
    if hasattr(obj, "agenda_countries"):  # RWG meetings
        return obj.notes
    if hasattr(obj, "negative_levers"):  # plans: the listing names the version, the export the objectives
        return obj.objectives_en if export else str(obj)
    if hasattr(obj, "cabinet_approval_reference"):  # escalation steps
        return obj.cabinet_approval_reference
    if hasattr(obj, "irb_decided"):  # asylum statistics: the claims, as the listing or the export writes them
        return str(obj.claims) if export else format_number(obj.claims)
    if hasattr(obj, "case_key"):  # travel-document cases: the priority, a free text the world makes unique
        return obj.priority
    if hasattr(obj, "removals"):  # travel-document months
        return str(obj.removals) if export else format_number(obj.removals)
    if hasattr(obj, "target_days"):
        return str(obj.target_days)
    for attr in ("reference", "acronym"):
        if getattr(obj, attr, ""):
            return getattr(obj, attr)
    if hasattr(obj, "checksum"):
        return obj.file_name
    if hasattr(obj, "code") and hasattr(obj.code, "name"):
        return obj.code.name
    if hasattr(obj, "name_en"):
        return obj.name_en
    return obj.object_repr


def _url(model, view, obj=None):
    namespace = ADMIN_URLS[model]
    index = "index" if namespace in ("audit_trail", "import_runs") else "list"
    name = {"list": index, "export": index}.get(view, view)
    args = [obj.pk] if view in ("inspect", "edit", "delete") else []
    return reverse(f"{namespace}:{name}", args=args)


def _refused(response):
    """Wagtail answers an action the role may not take with its permission-denied redirect to the
    dashboard; an object outside the user's reach answers 404. Never a page of the object."""
    if response.status_code == 302:
        # the dashboard, or the sign-in page for someone with no access to the admin at all
        return response["Location"] == reverse("wagtailadmin_home") or response["Location"].startswith(
            reverse("wagtailadmin_login"))
    return response.status_code in (403, 404)


def _has_model_perm(user, model, view):
    codename = {"inspect": "view", "edit": "change", "delete": "delete"}[view]
    return user.has_perm(f"{model._meta.app_label}.{codename}_{model._meta.model_name}")


@pytest.mark.parametrize(("role", "model"), ADMIN_CELLS)
def test_admin(role, model, world, user_with_role, client, settings):
    settings.MCEE_TWO_FACTOR_REQUIRED_ROLES = []  # two-factor has its own tests
    user = user_with_role(role)
    client.force_login(user)
    inside, outside = world[model]
    expected = EXPECTED[role][model]
    distinct = inside.pk != outside.pk

    # Listing and export: refused outright, or shown with exactly the objects in reach.
    for action in ("list", "export"):
        want_inside, want_outside = _expect(expected[action], action)
        exporting = action == "export"
        response = client.get(_url(model, action) + ("?export=csv" if exporting else ""))
        if want_inside or want_outside:
            assert response.status_code == 200, (role, model, action)
        if response.status_code == 200:
            body = (b"".join(response.streaming_content) if exporting else response.content).decode()
            assert (_marker(inside, exporting) in body) is want_inside, (role, model, action, "inside")
            if distinct:
                assert (_marker(outside, exporting) in body) is want_outside, (role, model, action, "outside")
        else:
            assert _refused(response), (role, model, action, response.status_code)

    for action, view in (("view", "inspect"), ("change", "edit"), ("delete", "delete")):
        want_inside, want_outside = _expect(expected[action], action)
        for obj, wanted in ((inside, want_inside), (outside, want_outside)):
            response = client.get(_url(model, view, obj))
            if wanted:
                assert response.status_code == 200, (role, model, view, obj.pk, response.status_code)
            else:
                assert _refused(response), (role, model, view, obj.pk, response.status_code)
                if _has_model_perm(user, type(obj), view) and not access.can(user, "view", obj):
                    # The role may do this to such objects, but this one is outside its reach:
                    # it must look absent, not forbidden.
                    assert response.status_code == 404, (role, model, view, obj.pk)


def test_every_protected_model_of_ours_has_guardian_grant_tables():
    """Direct foreign-key grant tables (user and group) for every protected model the project owns."""
    for model in access.protected_models():
        if model._meta.app_label == "auditlog":
            continue  # a library's model: read by role only
        rule = access.rule_for(model)
        for grant_model in (rule.user_grant_model, rule.group_grant_model):
            assert grant_model is not None, model
            assert grant_model._meta.get_field("content_object").related_model is model
