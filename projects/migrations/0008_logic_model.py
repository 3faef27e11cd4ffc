"""Reference data: the MCEE logic model (evaluation, Annex A, 2019), every box with a stable code.

Codes never change once given (results and PMF indicators point at them); the texts may be corrected by a
later migration. Activities lead to outputs, outputs to the immediate outcomes, and so up to the ultimate one.
"""

from django.db import migrations

LOGIC_MODEL = [
    # code, level, English, French (Annex A wording)
    ("ACT-1", "activity",
     "Work with like-minded countries to share experience in target countries and improve removals cooperation",
     "Collaborer avec des pays partageant les mêmes valeurs afin d’échanger les expériences dans des pays ciblés "
     "pour améliorer la coopération en matière de renvois"),
    ("ACT-2", "activity",
     "Coordinate removals cooperation within and across departments, including through the Removals Working "
     "Group (RWG)",
     "Assurer la coordination dans le Ministère et entre les ministères sur la coopération en matière de renvois, "
     "notamment par l’intermédiaire du groupe de travail sur les renvois (GTR)"),
    ("ACT-3", "activity",
     "Coordinate escalation protocols, where needed, for recalcitrant and uncooperative countries",
     "Coordonner les protocoles d’escalade, le cas échéant, pour les pays récalcitrants et non coopératifs"),
    ("ACT-4", "activity",
     "Provide capacity building, equipment and information technology according to target countries’ needs",
     "Fournir une aide au renforcement des capacités, des équipements et des technologies de l’information en "
     "fonction des besoins des pays ciblés"),
    ("ACT-5", "activity",
     "Organize study visits for mid-level officials to draw on Canada’s experience of migration management",
     "Organiser des voyages d’étude pour les fonctionnaires nationaux de niveau intermédiaire afin qu’ils puissent "
     "tirer parti de l’expérience du Canada en matière de gestion des migrations"),
    ("ACT-6", "activity",
     "Run targeted communication campaigns helping governments deter irregular migration and promote regular "
     "pathways",
     "Mener des campagnes de communication ciblées pour aider certains gouvernements à dissuader les migrations "
     "irrégulières et à promouvoir les voies d’accès régulières"),
    ("ACT-7", "activity",
     "Hold bilateral discussions with target authorities in Canada and abroad to gain support for removals "
     "cooperation",
     "Organiser des discussions bilatérales avec les autorités gouvernementales ciblées au Canada et à l’étranger "
     "afin d’obtenir le soutien à la coopération en matière de renvois"),
    ("OUT-1", "output",
     "Best practices in removals management exchanged with like-minded countries, within the department and "
     "across departments",
     "Collaboration et coordination de l’échange de renseignements sur les pratiques exemplaires en matière de "
     "gestion des renvois avec des pays partageant les mêmes valeurs ainsi qu’au sein du Ministère et entre les "
     "ministères"),
    ("OUT-2", "output",
     "Support for the department’s consideration and use of deterrent measures, where appropriate",
     "Soutien à l’examen et à l’application par le Ministère de mesures dissuasives, le cas échéant"),
    ("OUT-3", "output",
     "Capacity building delivered to immigration officials in target countries, according to their national "
     "needs and priorities",
     "Fourniture d’une aide au renforcement des capacités aux agents d’immigration dans les pays ciblés, en "
     "fonction de leurs besoins et priorités nationaux"),
    ("OUT-4", "output",
     "Targeted communication campaigns run to discourage irregular migration or promote regular pathways in "
     "target countries",
     "Organisation de campagnes de communication ciblées visant à décourager la migration irrégulière et/ou à "
     "promouvoir les voies d’accès régulières dans les pays ciblés"),
    ("OUT-5", "output",
     "Cooperation on migration issues of mutual interest established, maintained or strengthened with target "
     "countries",
     "Établissement, maintien ou renforcement de la coopération sur les questions migratoires d’intérêt mutuel "
     "avec les pays ciblés"),
    ("IMM-1", "immediate",
     "Stronger knowledge sharing, nationally and globally, on best practices in migration and removals management",
     "Renforcement du partage des connaissances à l’échelle nationale et mondiale sur les pratiques exemplaires en "
     "matière de gestion des migrations et des renvois"),
    ("IMM-2", "immediate",
     "Stronger local migration authorities in target countries, meeting their migration needs and aligned with "
     "Canada’s positions",
     "Renforcement des capacités des autorités locales chargées des migrations dans les pays ciblés afin de "
     "répondre à leurs besoins en matière de migration et de s’aligner sur les positions du Canada en la matière"),
    ("IMM-3", "immediate",
     "Target countries are incentivized to issue appropriate travel documents",
     "Les pays cibles sont incités à délivrer des documents de voyage appropriés"),
    ("INT-1", "intermediate",
     "Stronger removals engagement, cooperation, relations and dialogue with target countries",
     "Renforcement de l’engagement, de la coopération, des relations et du dialogue en matière de renvois avec "
     "les pays ciblés"),
    ("ULT-1", "ultimate",
     "Canada’s international humanitarian standards on protection and safe, orderly migration are promoted and "
     "advanced",
     "Promouvoir et faire progresser les normes humanitaires internationales du Canada en matière de protection "
     "et de migration sûre et ordonnée"),
]


def add_logic_model(apps, schema_editor):
    Outcome = apps.get_model("projects", "Outcome")
    for order, (code, level, name_en, name_fr) in enumerate(LOGIC_MODEL, start=1):
        Outcome.objects.update_or_create(code=code, defaults={"level": level, "name_en": name_en,
                                                              "name_fr": name_fr, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("projects", "0007_results_framework")]
    operations = [migrations.RunPython(add_logic_model, migrations.RunPython.noop)]
