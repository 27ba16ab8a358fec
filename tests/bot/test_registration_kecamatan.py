"""/daftar where the deployment serves several kecamatan (and kabupaten): which one is asked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.runtime import Runtime
from domain.models import Role, User, UserStatus
from storage.seed import parse_kecamatan, seed_kecamatan
from tests import factories
from tests.bot.conftest import ADMIN
from tests.bot.harness import Harness, Person
from tests.factories import cermee
from tests.storage.builders import PADEMAWU

DODI = Person(730001, "Dodi Prasetyo")
CAMAT_PADEMAWU = Person(730002, "Camat Pademawu")
CAMAT_CERMEE = Person(730003, "Camat Cermee")
CERMEE = cermee("Grujugan Kidul")


def _seed(runtime: Runtime, seed: Mapping[str, Any], name: str, admin: Person) -> int:
    """A second kecamatan with its own admin; returns the kecamatan's id."""
    with runtime.uow() as uow:
        seed_kecamatan(uow, parse_kecamatan(seed, name))
        kecamatan = uow.kecamatan.get_by_code(str(seed["kode"]))
        assert kecamatan is not None
        factories.add_user(
            uow, Role.ADMIN, telegram_id=admin.id, nama=admin.name, kecamatan_id=kecamatan.id
        )
        uow.commit()
    return kecamatan.id


def _stored(runtime: Runtime, person: Person) -> User | None:
    with runtime.uow() as uow:
        return uow.users.get_by_telegram_id(person.id)


async def _as_perangkat(harness: Harness, desa: str) -> None:
    await harness.press(DODI, "Perangkat desa")
    assert desa in harness.last(DODI).labels()
    await harness.press(DODI, desa)
    await harness.send(DODI, "Dodi Prasetyo")
    await harness.send(DODI, "Kaur Umum")


async def test_with_two_kecamatan_the_request_names_one_and_goes_to_its_admins(
    harness: Harness, runtime: Runtime
) -> None:
    pademawu = _seed(runtime, PADEMAWU, "pademawu.json", CAMAT_PADEMAWU)
    await harness.send(ADMIN, "/start")  # Larangan's first admin, from the settings
    await harness.send(DODI, "/daftar")
    question = harness.last(DODI)
    assert "kecamatan mana" in question.text
    assert question.labels() == ["Larangan", "Pademawu"]  # by code; one kabupaten: no Kembali

    # A typed answer is not a kecamatan: asked again, nothing stored.
    await harness.send(DODI, "Pademawu")
    assert "pilih salah satu tombol" in harness.texts(DODI)[-2]
    assert "kecamatan mana" in harness.last(DODI).text
    assert _stored(runtime, DODI) is None

    await harness.press(DODI, "Pademawu", message=question)
    await harness.press(DODI, "Perangkat desa")
    desa = harness.last(DODI).labels()
    assert desa == ["Murtajih", "Bunder", "« Kembali"]  # Pademawu's desa, not Larangan's
    await harness.press(DODI, "Bunder")
    await harness.send(DODI, "Dodi Prasetyo")
    await harness.send(DODI, "Kaur Umum")
    summary = harness.last(DODI)
    assert "Kecamatan: Pademawu, Pamekasan" in summary.text
    assert "Desa Bunder" in summary.text or "Bunder" in summary.text
    admin_before = harness.texts(ADMIN)
    await harness.press(DODI, "Kirim")

    stored = _stored(runtime, DODI)
    assert stored is not None
    assert stored.status is UserStatus.PENDING
    assert stored.kecamatan_id == pademawu
    # The card goes to Pademawu's admin; Larangan's admin hears nothing of it.
    card = harness.last(CAMAT_PADEMAWU)
    assert "Pendaftaran baru" in card.text
    assert harness.texts(ADMIN) == admin_before

    await harness.press(CAMAT_PADEMAWU, "Setujui", message=card)
    approved = _stored(runtime, DODI)
    assert approved is not None
    assert approved.status is UserStatus.ACTIVE

    # Reporting from there: the number carries Pademawu's code, the desa is Pademawu's.
    await harness.send(DODI, "/lapor")
    await harness.press(DODI, "Trantibum")
    await harness.press(DODI, "Kemarin")
    await harness.press(DODI, "Perjudian")
    await harness.send(DODI, "Warga melaporkan perjudian sabung ayam di lapangan desa.")
    await harness.press(DODI, "Lewati")
    await harness.press(DODI, "Lewati")
    report = harness.last(DODI)
    assert "Desa: Bunder" in report.text
    await harness.press(DODI, "Kirim")
    assert "TB-352809-2026-0001" in harness.last(DODI).text


async def test_ubah_asks_the_kecamatan_again_and_its_desa_follow(
    harness: Harness, runtime: Runtime
) -> None:
    larangan = runtime.kecamatan().id
    _seed(runtime, PADEMAWU, "pademawu.json", CAMAT_PADEMAWU)
    await harness.send(DODI, "/daftar")
    await harness.press(DODI, "Pademawu")
    await _as_perangkat(harness, "Murtajih")
    assert "Kecamatan: Pademawu" in harness.last(DODI).text
    await harness.press(DODI, "Ubah")
    assert "kecamatan mana" in harness.last(DODI).text
    await harness.press(DODI, "Larangan")
    await harness.press(DODI, "Perangkat desa")
    labels = harness.last(DODI).labels()
    assert "Peltong" in labels
    assert "Murtajih" not in labels
    await harness.press(DODI, "Peltong")
    await harness.send(DODI, "Dodi Prasetyo")  # Ubah asks every answer again
    await harness.send(DODI, "Kaur Umum")
    summary = harness.last(DODI)
    assert "Kecamatan: Larangan, Pamekasan" in summary.text
    await harness.press(DODI, "Kirim")
    stored = _stored(runtime, DODI)
    assert stored is not None
    assert stored.kecamatan_id == larangan


async def test_with_several_kabupaten_the_kabupaten_is_asked_first(
    harness: Harness, runtime: Runtime
) -> None:
    _seed(runtime, PADEMAWU, "pademawu.json", CAMAT_PADEMAWU)
    cermee = _seed(runtime, CERMEE, "cermee.json", CAMAT_CERMEE)
    await harness.send(DODI, "/daftar")
    question = harness.last(DODI)
    assert "kabupaten/kota mana" in question.text
    assert question.labels() == ["Bondowoso", "Pamekasan"]  # by code: 35.11 before 35.28
    await harness.press(DODI, "Pamekasan")
    pamekasan = harness.last(DODI)
    assert pamekasan.labels() == ["Larangan", "Pademawu", "« Kembali"]
    # Cermee's button is not among Pamekasan's kecamatan: pressing its value is refused.
    await harness.press_data(DODI, f"{harness.data_of(pamekasan, 'Larangan')[:-1]}x", pamekasan)
    await harness.press(DODI, "« Kembali", message=pamekasan)
    assert "kabupaten/kota mana" in harness.last(DODI).text
    await harness.press(DODI, "Bondowoso")
    assert harness.last(DODI).labels() == ["Cermee", "« Kembali"]
    await harness.press(DODI, "Cermee")
    await _as_perangkat(harness, "Grujugan Kidul")
    assert "Kecamatan: Cermee, Bondowoso" in harness.last(DODI).text
    await harness.press(DODI, "Kirim")
    stored = _stored(runtime, DODI)
    assert stored is not None
    assert stored.kecamatan_id == cermee
    assert "Pendaftaran baru" in harness.last(CAMAT_CERMEE).text
    assert harness.texts(CAMAT_PADEMAWU) == []


async def test_with_one_kecamatan_nothing_more_is_asked(harness: Harness, runtime: Runtime) -> None:
    await harness.send(DODI, "/daftar")
    assert "sebagai apa" in harness.last(DODI).text
    await _as_perangkat(harness, "Peltong")
    summary = harness.last(DODI)
    assert "Kecamatan:" not in summary.text
    await harness.press(DODI, "Ubah")
    assert "sebagai apa" in harness.last(DODI).text
