"""Made-up but plausible people for demo and scale data.

Names, phone prefixes and surname frequencies come from Faker's zh_CN
providers; drawing from them with one seeded `random.Random` (rather than a
Faker call per value) keeps a million people affordable and the output the
same for the same seed. Birth dates are fixed relative to REFERENCE_YEAR, so
ID numbers never depend on the day the demo is built.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from faker.providers.person.zh_CN import Provider as PersonProvider
from faker.providers.phone_number.zh_CN import Provider as PhoneProvider

from gonghui import idcard

REFERENCE_YEAR = 2026

_SURNAMES = list(PersonProvider.last_names.keys())
_SURNAME_CUM_WEIGHTS = []
_total = 0.0
for _weight in PersonProvider.last_names.values():
    _total += _weight
    _SURNAME_CUM_WEIGHTS.append(_total)

# Single characters from Faker's given names plus common ones it lacks, so two
# characters combine into names such as 子涵 or 建国.
_MALE_CHARS = sorted(
    {c for n in PersonProvider.first_names_male for c in n}
    | set("建国志明文斌浩然俊杰宏伟立新海峰晓东家豪子轩博涛振华永康嘉睿宇航")
)
_FEMALE_CHARS = sorted(
    {c for n in PersonProvider.first_names_female for c in n}
    | set("佳怡思雨欣悦婷慧琳雅静晓梅丽君秀玉兰春燕子涵诗彤梦瑶雪")
)

_PHONE_PREFIXES = [str(p) for p in PhoneProvider.phonenumber_prefixes]

# 县级行政区划代码: mostly Ningbo (where the demo unions are), some from the
# provinces many workers come from.
_LOCAL_REGIONS = [
    "330206",  # 北仑区
    "330203",  # 海曙区
    "330205",  # 江北区
    "330211",  # 镇海区
    "330212",  # 鄞州区
    "330213",  # 奉化区
    "330281",  # 余姚市
    "330282",  # 慈溪市
    "330225",  # 象山县
    "330226",  # 宁海县
]
_OTHER_REGIONS = [
    "330102",  # 杭州上城区
    "330302",  # 温州鹿城区
    "331002",  # 台州椒江区
    "340102",  # 合肥瑶海区
    "342401",  # 六安
    "360102",  # 南昌东湖区
    "362201",  # 宜春
    "410102",  # 郑州中原区
    "411302",  # 南阳宛城区
    "421002",  # 荆州沙市区
    "430102",  # 长沙芙蓉区
    "510104",  # 成都锦江区
    "511302",  # 南充顺庆区
    "522401",  # 毕节
    "532301",  # 楚雄
]

# Ethnic groups other than 汉族, roughly as seen in Zhejiang rosters.
_MINORITIES = ["畲族", "回族", "土家族", "苗族", "满族", "壮族", "彝族", "布依族", "侗族"]


@dataclass
class Person:
    name: str
    gender: str  # "M" / "F"
    birth_date: date
    id_number: str
    phone: str
    ethnicity: str
    political_status: str


class PersonMaker:
    """Draws people with unique ID numbers and phone numbers from a seeded generator.

    With `block=(index, blocks)` the maker draws only from the index-th of
    `blocks` disjoint shares of ID numbers and phones, so makers seeded apart
    (one per union of the `l` city, built in parallel workers) never draw the
    same number as each other: an ID number's (birth day, sequence) and a
    phone's last eight digits are in the block when their residue modulo
    `blocks` is `index`. The birth date moves forward to the next day that
    has a sequence in the block (at most `blocks` / 100 days or so).
    """

    def __init__(
        self,
        rng: random.Random,
        *,
        local_share: float = 0.8,
        block: tuple[int, int] | None = None,
    ):
        self.rng = rng
        self.local_share = local_share
        self.block = block
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()

    def _sequence_in_block(self, birth: date) -> tuple[date, int]:
        """The first day from `birth` with a sequence in this maker's block, and
        one such sequence (0-99) chosen at random."""
        index, blocks = self.block
        while True:
            first = (index - birth.toordinal() * 100) % blocks
            if first < 100:
                return birth, self.rng.choice(range(first, 100, blocks))
            birth += timedelta(days=1)

    def name(self, gender: str) -> str:
        rng = self.rng
        surname = rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM_WEIGHTS)[0]
        chars = _MALE_CHARS if gender == "M" else _FEMALE_CHARS
        given = rng.choice(chars)
        if rng.random() < 0.7:
            given += rng.choice(chars)
        return surname + given

    def birth_date(self, age_low: int, age_high: int) -> date:
        year = REFERENCE_YEAR - self.rng.randint(age_low, age_high)
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(365))

    def id_number(self, birth: date, gender: str) -> str:
        """A new ID number for someone born on `birth`; in a block, the birth
        day in the number may be a few days later (see the class)."""
        rng = self.rng
        while True:
            regions = _LOCAL_REGIONS if rng.random() < self.local_share else _OTHER_REGIONS
            region = rng.choice(regions)
            if self.block is None:
                day, sequence = birth, rng.randrange(100)
            else:
                day, sequence = self._sequence_in_block(birth)
            number = idcard.make(region, day, sequence, gender)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number
            if self.block is not None:  # that day's share is taken: try a later one
                birth += timedelta(days=rng.randint(1, 30))

    def phone(self) -> str:
        rng = self.rng
        while True:
            prefix = rng.choice(
                _PHONE_PREFIXES
            )  # drawn first, as always: s and m keep their people
            if self.block is None:
                suffix = rng.randrange(10**8)
            else:
                index, blocks = self.block
                suffix = index + blocks * rng.randrange((10**8 - 1 - index) // blocks + 1)
            number = prefix + f"{suffix:08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def political_status(self, age: int) -> str:
        roll = self.rng.random()
        if roll < 0.28:
            return "cpc"
        if roll < 0.30:
            return "probationary"
        if roll < 0.32:
            return "democratic"
        if age <= 28 and roll < 0.50:
            return "league"
        return "masses"

    def person(self, *, female_share: float, age_low: int = 22, age_high: int = 58) -> Person:
        rng = self.rng
        gender = "F" if rng.random() < female_share else "M"
        birth = self.birth_date(age_low, age_high)
        name = self.name(gender)
        id_number = self.id_number(birth, gender)
        if self.block is not None:  # the number's birth day may be a little later
            birth = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        return Person(
            name=name,
            gender=gender,
            birth_date=birth,
            id_number=id_number,
            phone=self.phone(),
            ethnicity="汉族" if rng.random() < 0.97 else rng.choice(_MINORITIES),
            political_status=self.political_status(REFERENCE_YEAR - birth.year),
        )
