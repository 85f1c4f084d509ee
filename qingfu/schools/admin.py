"""Django admin for operators (superusers): school set-up that has no page of its own yet.

Students, guardians and their links are deliberately absent: a minor's personal data is
read only through the scoped, audited selectors.
"""

from django.contrib import admin

from qingfu.schools.models import (
    CalendarException,
    District,
    GradeGroup,
    RoleGrant,
    School,
    SchoolClass,
    Semester,
    Subject,
    Teacher,
    TeachingAssignment,
)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "province", "city")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "stage", "district")
    list_filter = ("stage", "district")


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "school", "head_teacher")
    list_filter = ("school",)
    raw_id_fields = ("head_teacher",)


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "school", "grade_from", "grade_to", "is_active")
    list_filter = ("school", "is_active")


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "staff_no", "school")
    list_filter = ("school",)
    search_fields = ("name", "staff_no")
    raw_id_fields = ("user",)


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("teacher", "school_class", "subject", "weekly_lessons")
    list_filter = ("school",)
    raw_id_fields = ("teacher", "school_class", "subject")


@admin.register(GradeGroup)
class GradeGroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("grade", "leader", "cadre")
    raw_id_fields = ("leader", "cadre")


@admin.register(Semester)
class SemesterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "school", "start", "end")


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("date", "kind", "note", "school")


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "school", "district")
    raw_id_fields = ("user",)
