from django.urls import path

from publications import views

app_name = "publications"

urlpatterns = [
    path("news/", views.news_list, name="news_list"),
    path("news/closures/", views.closure_calendar, name="closure_calendar"),
    path("news/<id:pk>/", views.news_detail, name="news_detail"),
    path("grants/", views.grant_list, name="grant_list"),
    path("grants/archive/", views.grant_archive, name="grant_archive"),
    path("grants/suggest/", views.grant_suggest, name="grant_suggest"),
    path("grants/<id:pk>/", views.grant_detail, name="grant_detail"),
    path("newsletter/", views.newsletter_archive, name="newsletter_archive"),
    path("newsletter/subscribe/", views.subscribe, name="subscribe"),
    path("newsletter/confirm/<str:token>/", views.subscribe_confirm, name="subscribe_confirm"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/<id:number>/", views.newsletter_issue, name="newsletter_issue"),
]
