"""SKM deep links that carry the kecamatan (``skm_<kecamatan BPS>_<kode>``), and old links."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import col

from bot.reports.qr import survey_link
from bot.runtime import Runtime
from domain.models import Role, Seksi, SkmService
from storage.seed import parse_kecamatan, seed_kecamatan
from storage.tables import SkmResponseRow
from tests.bot.conftest import add_user
from tests.bot.harness import Harness, Person
from tests.bot.test_survey import BOT_LINK, add_service, answer_questions, fill_profile, responses
from tests.storage.builders import PADEMAWU

WARGA = Person(811001, "Warga Pademawu")
WARGA_2 = Person(811002, "Warga Larangan")
PELAYANAN = Person(811003, "Staf Pelayanan")


def _pademawu_service(runtime: Runtime) -> tuple[int, int]:
    """Pademawu seeded, with its own KTP service; returns (kecamatan id, service id)."""
    with runtime.uow() as uow:
        seed_kecamatan(uow, parse_kecamatan(PADEMAWU, "pademawu.json"))
        uow.commit()
    kec = runtime.kecamatan("35.28.09")
    with runtime.uow() as uow:
        service = uow.skm.add_service(
            SkmService(id=0, kecamatan_id=kec.id, kode="ktp", nama="KTP-el Pademawu")
        )
        uow.commit()
    return kec.id, service.id


def _rows(runtime: Runtime) -> list[SkmResponseRow]:
    responses(runtime)  # flushes the pool
    with runtime.session_factory() as session:
        return list(session.scalars(select(SkmResponseRow).order_by(col(SkmResponseRow.id))))


async def _complete(harness: Harness, person: Person, start: str) -> None:
    await harness.send(person, start)
    await harness.press(person, "Setuju")
    await fill_profile(harness, person)
    await answer_questions(harness, person)
    await harness.press(person, "Lewati")


async def test_a_link_of_pademawu_records_in_pademawu_and_the_old_link_in_larangan(
    harness: Harness, runtime: Runtime
) -> None:
    larangan_ktp = add_service(runtime)
    pademawu_id, pademawu_ktp = _pademawu_service(runtime)
    await harness.send(WARGA, "/start skm_3528050_ktp")
    intro = harness.last(WARGA)
    assert "Kecamatan Pademawu" in intro.text
    assert "KTP-el Pademawu" in intro.text
    await harness.press(WARGA, "Setuju")
    await fill_profile(harness, WARGA)
    await answer_questions(harness, WARGA)
    await harness.press(WARGA, "Lewati")
    assert "Terima kasih" in harness.last(WARGA).text
    assert "Pademawu" in harness.last(WARGA).text

    await _complete(harness, WARGA_2, "/start skm_ktp")  # printed before: still Larangan
    assert "Larangan" in harness.last(WARGA_2).text
    rows = _rows(runtime)
    by_service = {row.service_id: row for row in rows}
    assert set(by_service) == {pademawu_ktp, larangan_ktp}
    assert by_service[pademawu_ktp].kecamatan_id == pademawu_id
    assert by_service[larangan_ktp].kecamatan_id == runtime.kecamatan().id


async def test_the_general_link_of_a_kecamatan_offers_its_own_services(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    _pademawu_service(runtime)
    await harness.send(WARGA, "/start skm_3528050")
    await harness.press(WARGA, "Setuju")
    assert harness.last(WARGA).labels() == ["KTP-el Pademawu"]


async def test_an_unknown_kecamatan_or_service_in_a_link_gets_the_polite_message(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    _pademawu_service(runtime)
    await harness.send(WARGA, "/start skm_3599999_ktp")
    assert "Layanan pada tautan atau kode QR ini tidak dikenal" in harness.texts(WARGA)[-2]
    await harness.press(WARGA, "Setuju")
    assert harness.last(WARGA).labels() == ["Rekomendasi KTP-el"]  # the default's list
    await harness.send(WARGA_2, "/start skm_3528050_paspor")
    assert "Layanan pada tautan atau kode QR ini tidak dikenal" in harness.texts(WARGA_2)[-2]
    await harness.press(WARGA_2, "Setuju")
    assert harness.last(WARGA_2).labels() == ["KTP-el Pademawu"]
    assert _rows(runtime) == []


async def test_qr_links_name_the_kecamatan_when_the_deployment_has_several(
    harness: Harness, runtime: Runtime
) -> None:
    add_service(runtime)
    add_user(runtime, PELAYANAN, Role.STAF_SEKSI, seksi=Seksi.PELAYANAN)
    await harness.send(PELAYANAN, "/qr")
    one = [m.text for m in harness.api.to_chat(PELAYANAN.id) if m.kind == "photo"]
    assert f"{BOT_LINK}skm_ktp" in one[0]
    _pademawu_service(runtime)
    await harness.send(PELAYANAN, "/qr")
    photos = [m.text for m in harness.api.to_chat(PELAYANAN.id) if m.kind == "photo"][len(one) :]
    assert f"{BOT_LINK}skm_3528040_ktp" in photos[0]
    assert f"{BOT_LINK}skm_3528040" in photos[-1]


def test_survey_link_payloads_fit_telegram() -> None:
    assert survey_link("iku_test_bot") == f"{BOT_LINK}skm"
    assert survey_link("iku_test_bot", "ktp") == f"{BOT_LINK}skm_ktp"
    assert survey_link("iku_test_bot", "ktp", "3528050") == f"{BOT_LINK}skm_3528050_ktp"
    longest = survey_link("iku_test_bot", "k" * 32, "3528050").split("start=")[1]
    assert len(longest) <= 64
