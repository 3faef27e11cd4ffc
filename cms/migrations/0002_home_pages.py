"""Replace Wagtail's welcome page with the MCEE home page, in English and in French."""

from django.db import migrations

INTRO_EN = ("The system of record for the Migration Cooperation and Engagement Envelope: proposals and "
            "projects, implementing partners, target countries, diplomatic engagements and "
            "travel-document issuance, brought together for IRCC, CBSA, GAC and the Removals Working Group.")
INTRO_FR = ("Le système de référence de l’Enveloppe de coopération et d’engagement en matière de migration : "
            "propositions et projets, partenaires de mise en œuvre, pays ciblés, engagements diplomatiques et "
            "délivrance des documents de voyage, réunis pour IRCC, l’ASFC, AMC et le Groupe de travail sur "
            "les renvois.")


def create_home_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("cms", "HomePage")

    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    english, _ = Locale.objects.get_or_create(language_code="en")
    french, _ = Locale.objects.get_or_create(language_code="fr")

    Page.objects.filter(depth=2, content_type__app_label="wagtailcore", content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    en_home = HomePage.objects.create(
        title="MCEE", draft_title="MCEE", slug="home", content_type=home_type, path="00010001", depth=2,
        numchild=0, url_path="/home/", locale=english, intro=INTRO_EN, live=True)
    HomePage.objects.create(
        title="ECEM", draft_title="ECEM", slug="accueil", content_type=home_type, path="00010002", depth=2,
        numchild=0, url_path="/accueil/", locale=french, intro=INTRO_FR, live=True,
        translation_key=en_home.translation_key)
    Page.objects.filter(depth=1).update(numchild=2)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=en_home, is_default_site=True, site_name="MCEE")


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_home_pages, migrations.RunPython.noop)]
