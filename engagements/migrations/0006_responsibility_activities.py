"""The activities of the responsibility matrix (Recommendation 2a), with stable codes.

Who is responsible, accountable, consulted or informed is MCET's to set in the admin; the
activities themselves are reference data every environment shares.
"""

from django.db import migrations

ACTIVITIES = [
    ("maintain-engagement-plan", "Maintain the country engagement plan (RREP)",
     "Tenir à jour le plan de mobilisation du pays (PMRR)"),
    ("raise-td-issues", "Raise travel-document issues with the country's mission",
     "Soulever les questions de titres de voyage auprès de la mission du pays"),
    ("leverage-projects", "Leverage MCEE projects in bilateral meetings",
     "Mettre à profit les projets de l’ECEM lors des rencontres bilatérales"),
    ("log-engagements", "Log engagements and whether a project was leveraged",
     "Consigner les engagements et l’utilisation éventuelle d’un projet"),
    ("follow-up-actions", "Carry out follow-up actions from engagements",
     "Donner suite aux mesures découlant des engagements"),
    ("collect-td-data", "Collect travel-document and removals data",
     "Recueillir les données sur les titres de voyage et les renvois"),
    ("approve-key-messages", "Approve key messages for diplomatic use",
     "Approuver les messages clés à usage diplomatique"),
    ("disseminate-results", "Disseminate project results to partner departments",
     "Diffuser les résultats des projets aux ministères partenaires"),
    ("monitor-project-results", "Monitor project results and partner reports",
     "Suivre les résultats des projets et les rapports des partenaires"),
    ("recommend-escalation", "Recommend escalation measures to the RWG",
     "Recommander des mesures d’escalade au GTR"),
]


def seed(apps, schema_editor):
    Activity = apps.get_model("engagements", "ResponsibilityActivity")
    for order, (code, name_en, name_fr) in enumerate(ACTIVITIES, start=1):
        Activity.objects.update_or_create(code=code, defaults={"name_en": name_en, "name_fr": name_fr,
                                                               "sort_order": order * 10})


def unseed(apps, schema_editor):
    apps.get_model("engagements", "ResponsibilityActivity").objects.filter(
        code__in=[code for code, _en, _fr in ACTIVITIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("engagements", "0005_followups_raci_dissemination")]
    operations = [migrations.RunPython(seed, unseed)]
