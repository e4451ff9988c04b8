from django.urls import path

from .views import groups, inspections, lookups, plans, registry, review

app_name = "rounds"

urlpatterns = [
    # 巡察对象库
    path("units/", registry.unit_list, name="unit_list"),
    path("units/new/", registry.unit_edit, name="unit_create"),
    path("units/<int:pk>/", registry.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", registry.unit_edit, name="unit_update"),
    path("units/<int:pk>/deactivate/", registry.unit_set_active, {"active": False}, name="unit_deactivate"),
    path("units/<int:pk>/reactivate/", registry.unit_set_active, {"active": True}, name="unit_reactivate"),
    # 巡察人才库
    path("inspectors/", registry.inspector_list, name="inspector_list"),
    path("inspectors/new/", registry.inspector_edit, name="inspector_create"),
    path("inspectors/<int:pk>/", registry.inspector_detail, name="inspector_detail"),
    path("inspectors/<int:pk>/edit/", registry.inspector_edit, name="inspector_update"),
    path("inspectors/<int:pk>/avoidances/", registry.avoidance_add, name="avoidance_add"),
    path("avoidances/<int:pk>/remove/", registry.avoidance_remove, name="avoidance_remove"),
    # 巡察工作规划
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_edit, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_update"),
    path("plans/<int:pk>/scope/", plans.scope_add, name="scope_add"),
    path("plans/<int:pk>/milestones/", plans.milestone_set, name="milestone_set"),
    path("scope/<int:pk>/year/", plans.scope_year, name="scope_year"),
    path("scope/<int:pk>/remove/", plans.scope_remove, name="scope_remove"),
    path("milestones/<int:pk>/remove/", plans.milestone_remove, name="milestone_remove"),
    # 轮次与巡察组
    path("rounds/", groups.round_list, name="round_list"),
    path("rounds/new/", groups.round_edit, name="round_create"),
    path("rounds/<int:pk>/", groups.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", groups.round_edit, name="round_update"),
    path("rounds/<int:pk>/groups/", groups.group_create, name="group_create"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:pk>/members/", groups.membership_add, name="membership_add"),
    path("groups/<int:pk>/inspections/", groups.inspection_assign, name="inspection_assign"),
    path("groups/<int:pk>/review-exception/", review.group_review_exception, name="group_review_exception"),
    path("memberships/<int:pk>/role/", groups.membership_role, name="membership_role"),
    path("memberships/<int:pk>/remove/", groups.membership_remove, name="membership_remove"),
    # 巡察任务
    path("inspections/", inspections.my_inspections, name="my_inspections"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/advance/", inspections.inspection_advance, name="inspection_advance"),
    path("inspections/<int:pk>/unassign/", groups.inspection_unassign, name="inspection_unassign"),
    path("inspections/<int:pk>/counters/", inspections.inspection_counters, name="inspection_counters"),
    path("inspections/<int:pk>/archive/", inspections.inspection_archive, name="inspection_archive"),
    path(
        "inspections/<int:pk>/archive.zip", inspections.inspection_archive_download, name="inspection_archive_download"
    ),
    # Choices for the searchable selects, as JSON.
    path("units/lookups/townships/", lookups.townships, name="lookup_townships"),
    path("units/lookups/parents/", lookups.unit_parents, name="lookup_new_unit_parents"),
    path("units/<int:pk>/lookups/parents/", lookups.unit_parents, name="lookup_unit_parents"),
    path("inspectors/lookups/home-units/", lookups.home_units, name="lookup_home_units"),
    path("inspectors/lookups/users/", lookups.inspector_users, name="lookup_new_inspector_users"),
    path("inspectors/<int:pk>/lookups/users/", lookups.inspector_users, name="lookup_inspector_users"),
    path("inspectors/lookups/avoidance-units/", lookups.avoidance_units, name="lookup_avoidance_units"),
    path("plans/<int:pk>/lookups/units/", lookups.scope_units, name="lookup_scope_units"),
    path("groups/<int:pk>/lookups/inspectors/", lookups.group_inspectors, name="lookup_group_inspectors"),
    path("groups/<int:pk>/lookups/units/", lookups.group_units, name="lookup_group_units"),
]
