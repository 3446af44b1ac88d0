"""REST endpoints where care systems submit IV courses (token auth); same services as the pages.

POST /api/iv/courses/ creates or updates a course by (municipality_code, external_id): 201 when
created, 200 when updated; the answer's "warnings" lists possible duplicates (same CPR number,
overlapping period), as the form shows them. A clerk may submit and read only their own municipality's courses.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from accounts.access import api
from accounts.roles import RoleKind, roles_for
from core.errors import Refused
from register.models import Municipality

from . import rules
from .access import courses_for_user
from .models import Course, Decision, Setting, Treatment
from .parsing import COURSE_FIELDS, CourseInput, parse_course
from .services import course_withdraw, courses_register


def _roles(request):
    roles = getattr(request, "_iv_roles", None)
    if roles is None:
        roles = roles_for(request.user)
        request._iv_roles = roles
    return roles


class CourseReader(BasePermission):
    def has_permission(self, request, view):
        return _roles(request).has(RoleKind.CLERK, RoleKind.REGION_OFFICER)


class CourseSerializer(serializers.ModelSerializer):
    municipality_code = serializers.CharField(source="municipality.code", max_length=3)
    treatment = serializers.ChoiceField(choices=Treatment.choices)
    decision = serializers.ChoiceField(choices=Decision.choices)
    setting = serializers.ChoiceField(choices=Setting.choices)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=rules.NOTE_MAX_LENGTH
    )
    cpr = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=11,
        help_text="Optional, for duplicate detection only: never stored, only a keyed hash is kept.",
    )
    settled = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "external_id",
            "municipality_code",
            *COURSE_FIELDS,
            "cpr",
            "withdrawn",
            "revision",
            "settled",
        ]
        read_only_fields = ["id", "withdrawn", "revision", "settled"]
        # Re-sending an external id updates the course, so no unique-together validation here.
        validators = []

    def get_settled(self, course) -> bool:
        return course.is_settled

    def validate(self, attrs):
        """The fields' values through the one course parser (agreements.parsing), as the form's and
        an upload's are; the rules are checked when the course is registered."""
        self.values, problems = parse_course(attrs)
        if problems:
            raise ValidationError(rules.by_field(problems))
        return attrs

    def to_input(self, municipality) -> CourseInput:
        return CourseInput(municipality=municipality, **self.values)


class CourseWarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["possible_duplicate"])
    message = serializers.CharField()
    other_external_id = serializers.CharField(
        allow_null=True,
        help_text="The case reference of the other course; null when another municipality registered it.",
    )


class CourseSubmittedSerializer(CourseSerializer):
    """The course as saved, with the warnings the form shows (it is saved all the same)."""

    warnings = CourseWarningSerializer(
        many=True,
        read_only=True,
        help_text=(
            "possible_duplicate: another course has the same CPR number (keyed hash) and an overlapping"
            " period; check that the course is not registered twice."
        ),
    )

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "warnings"]


class CoursePages(PageNumberPagination):
    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"


ERRORS = {
    400: OpenApiResponse(description="The course cannot be saved: the errors by field."),
    401: OpenApiResponse(description="No valid token."),
    403: OpenApiResponse(description="Not your municipality, or not a billing role."),
    404: OpenApiResponse(description="No such course (or page) for you."),
}


@extend_schema_view(
    get=extend_schema(
        responses={200: CourseSerializer(many=True), 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]}
    ),
    post=extend_schema(
        responses={
            200: CourseSubmittedSerializer,
            201: CourseSubmittedSerializer,
            400: ERRORS[400],
            401: ERRORS[401],
            403: ERRORS[403],
        }
    ),
)
class CourseListCreate(generics.ListCreateAPIView):
    """List your courses, or submit one (created or updated by external id)."""

    serializer_class = CourseSerializer
    pagination_class = CoursePages
    permission_classes = [IsAuthenticated, CourseReader]

    def get_queryset(self):
        return (
            courses_for_user(_roles(self.request))
            .with_settlement()
            .select_related("municipality")
            .order_by("id")
        )

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _register(request, serializer, serializer.validated_data["municipality"]["code"])


def _register(request, serializer, code: str) -> Response:
    """Create or update through the one service; only for the clerk's own municipality."""
    roles = _roles(request)
    municipality = Municipality.objects.filter(code=code, id__in=roles.clerk_municipalities).first()
    if municipality is None:
        raise PermissionDenied("You may submit courses only for your own municipality.")
    try:
        result = courses_register(items=[serializer.to_input(municipality)], user=request.user)
    except Refused as exc:
        return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
    course = result.courses[0]
    course.warnings = result.duplicate_warnings()
    return Response(
        CourseSubmittedSerializer(course).data,
        status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
    )


@extend_schema_view(
    get=extend_schema(
        responses={200: CourseSerializer, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]}
    ),
    put=extend_schema(responses={200: CourseSubmittedSerializer, **ERRORS}),
    delete=extend_schema(
        responses={200: CourseSerializer, 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404]}
    ),
)
class CourseDetail(generics.RetrieveUpdateDestroyAPIView):
    """One of your courses: read it, replace it (PUT; the case reference and municipality stay), or
    withdraw it (DELETE; a settled course is credited in the next settlement run)."""

    serializer_class = CourseSerializer
    permission_classes = [IsAuthenticated, CourseReader]
    http_method_names = ["get", "put", "delete", "head", "options"]

    def get_object(self):
        roles = _roles(self.request)
        if self.request.method in ("PUT", "DELETE"):
            queryset = Course.objects.filter(municipality_id__in=roles.clerk_municipalities)
        else:
            queryset = courses_for_user(roles)
        return get_object_or_404(queryset.select_related("municipality"), pk=self.kwargs["pk"])

    def update(self, request, *args, **kwargs):
        course = self.get_object()
        if not isinstance(request.data, dict):
            raise ValidationError("Send the course as a JSON object.")
        data = {
            **request.data,
            "external_id": course.external_id,
            "municipality_code": course.municipality.code,
        }
        serializer = self.get_serializer(data=data)
        serializer.is_valid(raise_exception=True)
        return _register(request, serializer, course.municipality.code)

    def destroy(self, request, *args, **kwargs):
        course = course_withdraw(course=self.get_object(), user=request.user)
        return Response(CourseSerializer(course).data, status=status.HTTP_200_OK)


course_list_create = api(CourseListCreate.as_view())
course_detail = api(CourseDetail.as_view())
