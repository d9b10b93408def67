from django.urls import path

from portal.assessments import questionnaire, views

app_name = "assessments"

urlpatterns = [
    path("nouvelle/<uuid:public_id>/", views.assessment_start, name="start"),
    path("<uuid:public_id>/", views.assessment_detail, name="detail"),
    path("<uuid:public_id>/qualification/", views.assessment_qualification, name="qualification"),
    path("<uuid:public_id>/sections/<int:index>/", questionnaire.assessment_section, name="section"),
    path("<uuid:public_id>/complet/", questionnaire.assessment_full, name="full"),
    path("<uuid:public_id>/exigences/<str:code>/", questionnaire.answer_save, name="answer_save"),
    path("<uuid:public_id>/exigences/<str:code>/actuelle/", questionnaire.item_fragment, name="item"),
    path("<uuid:public_id>/remarques/repondre/", questionnaire.comment_reply, name="comment_reply"),
    path("<uuid:public_id>/soumettre/", views.assessment_submit, name="submit"),
    path("<uuid:public_id>/export.json", views.assessment_export, name="export"),
    path("<uuid:public_id>/import/", views.assessment_import, name="import"),
]
