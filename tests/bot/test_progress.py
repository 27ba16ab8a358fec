"""/perkembangan in chat: the table and counts as text, the closest desa, the chart as a
PNG photo through the outbox; bad ranges and unauthorized users are told in words."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from PIL import Image

from bot.delivery.outbox import MAX_TEXT
from bot.reports.progress import progress_messages
from bot.runtime import Runtime
from domain.desa_progress import progress_of
from domain.idm import IdmStatus
from domain.models import IdmResult, Role, Seksi
from tests.bot.conftest import ADMIN, add_user
from tests.bot.harness import Harness, Person
from tests.domain.test_desa_progress import seed_results
from tests.factories import make_desa, make_kecamatan

PPD = Person(830001, "Staf PPD")
PERANGKAT = Person(830002, "Kaur Peltong")
STRANGER = Person(830003, "Orang Asing")


def _seed(runtime: Runtime) -> None:
    with runtime.uow() as uow:
        seed_results(uow)
        uow.commit()


async def test_the_table_counts_closest_and_chart_of_every_year_with_data(
    harness: Harness, runtime: Runtime
) -> None:
    _seed(runtime)
    add_user(runtime, PPD, Role.STAF_SEKSI, seksi=Seksi.PPD)
    await harness.send(PPD, "/perkembangan")
    sent = harness.api.to_chat(PPD.id)
    photo = sent[-1]
    assert photo.kind == "photo"
    assert "Kecamatan Larangan, 2022–2025" in photo.text
    assert photo.content is not None
    image = Image.open(BytesIO(photo.content))
    assert image.format == "PNG"
    assert image.size[0] > 600
    text = "\n".join(m.text for m in sent[:-1])
    assert all(len(m.text) <= MAX_TEXT for m in sent)
    assert "Perkembangan status desa Kecamatan Larangan, 2022–2025" in text
    assert "IDM 2022–2024: status dari skor" in text
    assert "Indeks Desa 2025: status seperti yang ditetapkan" in text
    assert "Desa           22  23  24  25" in text
    assert "Peltong        BK  MJ  MJ  MD" in text
    assert "Blumbungan     BK  --  TT  BK" in text
    assert "Trasak         --  --  BK* MJ" in text
    assert "Grujugan       --  --  --  --" in text
    assert "2025     1   1   1   1   1   9" in text
    assert "Ke tahun 2025: naik 3, turun 0, tetap 0 desa" in text
    assert "Terdekat ke status berikutnya (Indeks Desa 2025)" in text
    assert "1. Tentenan Barat: Tertinggal 60,00 → Berkembang, kurang ± 2,50 (perkiraan)" in text
    assert "4. Trasak: Maju 70,25 → Mandiri, kurang ± 14,75 (perkiraan)" in text
    assert "Perkiraan, bukan angka resmi" in text


async def test_an_idm_range_gives_the_official_gaps(harness: Harness, runtime: Runtime) -> None:
    _seed(runtime)
    await harness.send(ADMIN, "/perkembangan 2023-2024")
    text = "\n".join(harness.texts(ADMIN))
    assert "Kecamatan Larangan, 2023–2024" in text
    assert "Terdekat ke status berikutnya (IDM 2024)" in text
    assert "1. Peltong: Maju 0,8155 → Mandiri (skor minimal 0,8156), kurang 0,0001" in text
    assert "3. Trasak: Berkembang 0,7000 → Maju (skor minimal 0,7073), kurang 0,0073" in text
    assert "perkiraan" not in text
    assert "Ambang resmi IDM" in text
    assert harness.last(ADMIN).kind == "photo"


async def test_bad_ranges_and_no_data_are_told_without_a_chart(
    harness: Harness, runtime: Runtime
) -> None:
    _seed(runtime)
    for command, said in (
        ("/perkembangan 2025-2020", "Tahun awal 2025 sesudah tahun akhir 2020"),
        ("/perkembangan dua", 'Tahun "dua" tidak dikenali'),
        ("/perkembangan 2027", "Tahun 2027 belum tiba (sekarang tahun 2026)"),
        ("/perkembangan 2010-2020", "Data IDM baru ada sejak tahun 2015"),
        ("/perkembangan 2020 2021 2022", "satu rentang tahun saja"),
        ("/perkembangan 2016-2021", "Belum ada data IDM maupun Indeks Desa"),
    ):
        await harness.send(ADMIN, command)
        reply = harness.last(ADMIN)
        assert reply.kind == "text"
        assert said in reply.text, reply.text
    assert "/perkembangan 2020-2025" in harness.texts(ADMIN)[0]
    assert not [m for m in harness.api.messages if m.kind == "photo"]


async def test_perangkat_desa_and_strangers_are_refused(harness: Harness, runtime: Runtime) -> None:
    _seed(runtime)
    add_user(runtime, PERANGKAT, Role.PERANGKAT_DESA, desa_kode="35.28.08.2001")
    await harness.send(PERANGKAT, "/perkembangan")
    assert "hanya untuk admin atau staf seksi" in harness.last(PERANGKAT).text
    await harness.send(STRANGER, "/perkembangan")
    assert "sudah terdaftar" in harness.last(STRANGER).text
    assert not [m for m in harness.api.messages if m.kind == "photo"]


def test_a_large_kecamatan_is_split_between_lines_under_the_telegram_limit() -> None:
    kec = make_kecamatan()
    desa = [
        make_desa(id=n, kode=f"35.28.08.{2000 + n}", kode_bps=f"35280400{n:02d}", nama=f"Desa {n}")
        for n in range(1, 201)
    ]
    results = [
        IdmResult(d.id, tahun, Decimal("0.7"), IdmStatus.BERKEMBANG)
        for d in desa
        for tahun in range(2015, 2025)
    ]
    report = progress_of(kec, desa, results, first=2015, last=2024)
    messages = progress_messages(report)
    assert len(messages) > 1
    assert all(len(m) <= MAX_TEXT for m in messages)
    joined = "\n".join(messages)
    assert all(f"Desa {n} " in joined for n in range(1, 201))
    assert "… dan 195 desa lainnya (lengkap di /ekspor)." in joined
