"""Brazilian identifiers and product codes (pure functions, no app)."""
import pytest

from markethub.platform import validators


@pytest.mark.parametrize("value", ["529.982.247-25", "52998224725", "111.444.777-35"])
def test_valid_cpf(value):
    assert validators.is_valid_cpf(value)


@pytest.mark.parametrize("value", ["529.982.247-24", "529.982.247-15", "000.000.000-00",
                                   "999.999.999-99", "5299822472", "529982247250", ""])
def test_invalid_cpf(value):
    assert not validators.is_valid_cpf(value)


@pytest.mark.parametrize("value", ["11.222.333/0001-81", "11222333000181", "12ABC34501DE35",
                                   "12.abc.345/01de-35"])
def test_valid_cnpj_numeric_and_alphanumeric(value):
    assert validators.is_valid_cnpj(value)


@pytest.mark.parametrize("value", ["11.222.333/0001-80", "11.222.333/0001-18", "12ABC34501DE36",
                                   "12ABC34501DE3A", "AAAAAAAAAAAAAA", "00000000000000",
                                   "1122233300018", ""])
def test_invalid_cnpj(value):
    assert not validators.is_valid_cnpj(value)


@pytest.mark.parametrize("value,expected", [
    ("529.982.247-25", ("52998224725", "cpf")),
    ("11.222.333/0001-81", ("11222333000181", "cnpj")),
    ("12.abc.345/01de-35", ("12ABC34501DE35", "cnpj")),
    ("529.982.247-24", None), ("1234", None),
])
def test_normalise_document(value, expected):
    assert validators.normalise_document(value) == expected


@pytest.mark.parametrize("value,valid", [
    ("7891234567895", True), ("96385074", True), ("036000291452", True),
    ("17891234567892", True), ("7891234567890", False), ("789123456789", False),
    ("1234567", False), ("123456789012345", False), ("7891234567a95", False), ("", False)])
def test_gtin_check_digit(value, valid):
    assert validators.is_valid_gtin(value) is valid


@pytest.mark.parametrize("value,expected", [
    ("8471.30.12", "84713012"), ("84713012", "84713012"), ("8471 30 12", "84713012"),
    ("8471.30.1", None), ("847130123", None), ("8471.30.1A", None)])
def test_ncm(value, expected):
    assert validators.normalise_ncm(value) == expected


@pytest.mark.parametrize("value,expected", [
    ("01310-200", "01310200"), ("01310200", "01310200"), ("01.310-200", "01310200"),
    ("1310-200", None), ("013102000", None), ("0131O-200", None)])
def test_cep(value, expected):
    assert validators.normalise_cep(value) == expected
