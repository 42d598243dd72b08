import datetime

import factory
from factory.django import DjangoModelFactory

from gonghui import encryption, idcard
from gonghui.members import names
from gonghui.members.models import Member, Status
from gonghui.orgs.tests.factories import UnionFactory


class MemberFactory(DjangoModelFactory):
    """A valid member; bypasses the service for speed, keeping derived columns right."""

    class Meta:
        model = Member

    union = factory.SubFactory(UnionFactory)
    name = factory.Iterator(["张三", "李四", "王芳", "赵敏", "陈静", "刘洋", "杨帆", "黄丽"])
    gender = factory.Iterator(["M", "M", "F", "F", "F", "M", "M", "F"])
    # Born 1970–2000 however many members a test run makes (a plain 37 × n
    # reached members born after they joined); 307 is prime, so with the ID's
    # n % 100 sequence code no two of 30,700 members share an ID number.
    birth_date = factory.Sequence(
        lambda n: datetime.date(1970, 1, 1) + datetime.timedelta(days=37 * (n % 307))
    )
    id_number = factory.LazyAttributeSequence(
        lambda o, n: idcard.make("330206", o.birth_date, n % 100, o.gender)
    )
    id_number_digest = factory.LazyAttribute(lambda o: encryption.digest(o.id_number))
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    phone_digest = factory.LazyAttribute(lambda o: encryption.digest(o.phone))
    name_initials = factory.LazyAttribute(lambda o: names.initials(o.name))
    search_text = factory.LazyAttribute(lambda o: names.search_text(o.name))
    joined_on = datetime.date(2020, 3, 1)
    status = Status.ACTIVE
