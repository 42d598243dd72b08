import factory
from factory.django import DjangoModelFactory

from gonghui.orgs.models import Department, Group, RoleAssignment, Term, Union, UnionKind, User
from gonghui.orgs.roles import Role


class UnionFactory(DjangoModelFactory):
    class Meta:
        model = Union

    code = factory.Sequence(lambda n: f"u{n:04d}")
    name = factory.Sequence(lambda n: f"第{n}工会")
    kind = UnionKind.SCHOOL
    headcount = 100


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    union = factory.SubFactory(UnionFactory)
    name = factory.Sequence(lambda n: f"部门{n}")


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    union = factory.SubFactory(UnionFactory)
    name = factory.Sequence(lambda n: f"小组{n}")


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term

    union = factory.SubFactory(UnionFactory)
    number = factory.Sequence(lambda n: n + 1)
    starts_on = factory.Faker("date_between", start_date="-3y", end_date="-1y")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(union: Union, role: str = Role.CHAIR, **kwargs) -> User:
    user = UserFactory(is_staff=role != Role.MEMBER, **kwargs)
    RoleAssignment.objects.create(user=user, union=union, role=role)
    return user
