from django.urls import path

from reports import views

urlpatterns = [
    path("", views.home, name="home"),
    path("places/<slug:slug>/", views.place, name="place"),
    path("places/<slug:slug>/map.svg", views.place_map_svg, name="place-map"),
    path("places/<slug:slug>/grants.svg", views.place_grants_svg, name="place-grants"),
    *(
        path(f"charts/map-{aspect}.svg", views.map_svg, {"aspect": aspect}, name=f"chart-map-{aspect}")
        for aspect in views.ASPECTS
    ),
    path("charts/grants.svg", views.grants_by_state_svg, name="chart-grants"),
    path("charts/grants-by-year.svg", views.grants_by_year_svg, name="chart-grants-by-year"),
    path("charts/activity.svg", views.activity_svg, name="chart-activity"),
]
