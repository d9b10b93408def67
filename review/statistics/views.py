import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render

from accounts.access import reviewer_required
from assessments.figures import statistics_versions, version_figures
from review.statistics.charts import count_bars, stacked_bars

TABLES = {
    "profils": "Produits par profil atteint",
    "sections": "Niveaux par section",
    "exigences": "Niveaux par exigence",
}


@reviewer_required
def statistics_index(request):
    versions = statistics_versions()
    version = _chosen(versions, request.GET.get("version"))
    context = {"versions": versions, "version": version, "tables": TABLES}
    if version is not None:
        figures = version_figures(version=version)
        context.update(
            figures=figures,
            profile_bars=count_bars(figures.profiles, of=figures.products),
            section_bars=stacked_bars(figures.sections, figures.levels),
            item_bars=stacked_bars(figures.items, figures.levels),
        )
    return render(request, "review/statistics_detail.html", context)


@reviewer_required
def statistics_export(request, version_public_id, table: str):
    versions = statistics_versions()
    version = _chosen(versions, str(version_public_id))
    if version is None or str(version.public_id) != str(version_public_id) or table not in TABLES:
        raise Http404("Tableau introuvable.")
    figures = version_figures(version=version)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{version.questionnaire.code}-v{version.number}-{table}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet software reads the accents right
    writer = csv.writer(response, delimiter=";")
    if table == "profils":
        writer.writerow(["profil", "libellé", "produits ayant atteint le profil", "produits évalués"])
        for profile in figures.profiles:
            writer.writerow([profile["code"], profile["label"], profile["count"], figures.products])
    else:
        rows = figures.sections if table == "sections" else figures.items
        writer.writerow(["code", "intitulé", *(level["label"] for level in figures.levels), "total"])
        for row in rows:
            counts = [row.counts.get(level["code"], 0) for level in figures.levels]
            writer.writerow([row.code, row.title, *counts, row.total])
    return response


def _chosen(versions, public_id):
    if not versions:
        return None
    return next((version for version in versions if str(version.public_id) == public_id), versions[0])
