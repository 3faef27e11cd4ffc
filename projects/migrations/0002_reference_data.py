"""Reference data every installation needs: the seven priority areas and the MCEE envelope."""

from decimal import Decimal

from django.db import migrations

PRIORITY_AREAS = [
    # code, English, French (evaluation, Table 1, in its order)
    ("national-policy", "Strengthening national immigration and migration policies and procedures",
     "Renforcement des politiques et procédures nationales en matière d’immigration et de migration"),
    ("regular-migration", "Strengthening regular migration", "Renforcement de la migration régulière"),
    ("border-management", "Improving border management", "Amélioration de la gestion des frontières"),
    ("irregular-migration", "Preventing irregular migration", "Prévention de la migration irrégulière"),
    ("other-priorities", "Other migration priorities", "Autres priorités liées à la migration"),
    ("identity-management", "Improving identity management", "Amélioration de la gestion de l’identité"),
    ("voluntary-return", "Assisted voluntary return", "Aide aux retours volontaires"),
]


def add_reference_data(apps, schema_editor):
    PriorityArea = apps.get_model("projects", "PriorityArea")
    Envelope = apps.get_model("projects", "Envelope")
    for order, (code, name_en, name_fr) in enumerate(PRIORITY_AREAS, start=1):
        PriorityArea.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_fr": name_fr, "sort_order": order})
    Envelope.objects.update_or_create(
        code="mcee",
        defaults={
            "name_en": "Migration Cooperation and Engagement Envelope",
            "name_fr": "Enveloppe de coopération et d’engagement en matière de migration",
            "total_amount": Decimal("21000000.00"),
            "first_fiscal_year": 2019,
            "last_fiscal_year": 2024,
            "vote": "10",
            "parent_programme_en": "International Migration Capacity Building Program (IMCBP)",
            "parent_programme_fr": "Programme de renforcement des capacités en matière de migration "
                                   "internationale (PRCMI)",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(add_reference_data, migrations.RunPython.noop)]
