from datetime import date

import pytest

from gonghui import creditcode, idcard


def test_a_made_id_number_parses_back_to_its_birth_date_and_gender():
    number = idcard.make("330206", date(1988, 7, 9), 3, "F")
    assert idcard.parse(number) == (number, date(1988, 7, 9), "F")


def test_the_standard_example_with_x_check_digit_is_valid_in_lower_case():
    assert idcard.parse("11010519491231002x")[0] == "11010519491231002X"


@pytest.mark.parametrize(
    "raw, message",
    [
        ("11010519491231002", "应为18位"),
        ("110105194912310021", "校验位错误"),
        ("11010519491331002X", "出生日期无效"),
        ("1101051949123100AX", "前17位须为数字"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_chinese_reason(raw, message):
    with pytest.raises(idcard.IdNumberError, match=message):
        idcard.parse(raw)


def test_a_credit_code_with_the_right_check_character_is_valid():
    assert creditcode.error_in("91350100M000100Y43") is None


def test_a_credit_code_with_a_wrong_check_character_is_refused():
    assert "校验位" in creditcode.error_in("91350100M000100Y44")
