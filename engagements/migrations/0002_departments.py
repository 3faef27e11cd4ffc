"""The departments and agencies taking part in removals cooperation."""

from django.db import migrations

DEPARTMENTS = [
    ("ircc", "IRCC", "IRCC", "Immigration, Refugees and Citizenship Canada",
     "Immigration, Réfugiés et Citoyenneté Canada"),
    ("cbsa", "CBSA", "ASFC", "Canada Border Services Agency", "Agence des services frontaliers du Canada"),
    ("gac", "GAC", "AMC", "Global Affairs Canada", "Affaires mondiales Canada"),
    ("ps", "PS", "SP", "Public Safety Canada", "Sécurité publique Canada"),
    ("irb", "IRB", "CISR", "Immigration and Refugee Board of Canada",
     "Commission de l’immigration et du statut de réfugié du Canada"),
]


def add_departments(apps, schema_editor):
    Department = apps.get_model("engagements", "Department")
    for code, acronym_en, acronym_fr, name_en, name_fr in DEPARTMENTS:
        Department.objects.update_or_create(
            code=code, defaults={"acronym_en": acronym_en, "acronym_fr": acronym_fr,
                                 "name_en": name_en, "name_fr": name_fr})


class Migration(migrations.Migration):
    dependencies = [("engagements", "0001_initial")]
    operations = [migrations.RunPython(add_departments, migrations.RunPython.noop)]
