"""``iku-bot audit``: the log filtered by person, office days, action and count; ``--csv``.

And ``iku-bot report`` in every format is an audit entry of the operator. On SQLite and
PostgreSQL.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest

from domain.models import Role, Seksi
from storage.engine import make_engine, make_session_factory
from storage.uow import SqlUnitOfWork
from tests.cli.conftest import CliRunner
from tests.factories import add_user
from tests.storage.builders import jakarta

DEWI_TG = 720003
CAMAT_TG = 720001


def _seed(url: str) -> dict[str, int]:
    """Two users and five entries at known office times (one just after a WIB midnight)."""
    engine = make_engine(url)
    try:
        with SqlUnitOfWork(make_session_factory(engine)) as uow:
            kec = uow.kecamatan.get_by_code("35.28.08")
            assert kec is not None
            dewi = add_user(
                uow,
                Role.STAF_SEKSI,
                telegram_id=DEWI_TG,
                nama="Dewi Kesbang",
                seksi=Seksi.KESBANG,
                kecamatan_id=kec.id,
            )
            camat = add_user(
                uow, Role.ADMIN, telegram_id=CAMAT_TG, nama="Hasan Camat", kecamatan_id=kec.id
            )
            plan: list[tuple[int | None, str, str, str | None, datetime]] = [
                (
                    dewi.id,
                    "export_xlsx",
                    "laporan_iku",
                    "35.28.08/2026-01-01/2026-03-01",
                    jakarta(2026, 3, 2, 6, 0),
                ),  # 1 March 23.00 UTC
                (
                    dewi.id,
                    "view_case",
                    "incident",
                    "KS-352808-2026-0001",
                    jakarta(2026, 3, 5, 10, 0),
                ),
                (camat.id, "export_xlsx_group", "laporan_iku", None, jakarta(2026, 4, 1, 9, 0)),
                (None, "set_target", "target", "skm/2026", jakarta(2026, 4, 2, 8, 0)),
                (
                    camat.id,
                    "view_case",
                    "incident",
                    "TB-352808-2026-0001",
                    jakarta(2026, 4, 3, 23, 59),
                ),
            ]
            for user_id, action, entity, entity_id, at in plan:
                actor = "cli"
                if user_id == dewi.id:
                    actor = f"tg:{DEWI_TG}"
                elif user_id == camat.id:
                    actor = f"tg:{CAMAT_TG}"
                uow.audit.record(
                    actor=actor,
                    action=action,
                    entity=entity,
                    entity_id=entity_id,
                    detail={"saluran": "pribadi", "isi": {"saran": 0, "daftar_kasus": True}},
                    user_id=user_id,
                    at=at,
                )
            uow.commit()
            return {"dewi": dewi.id, "camat": camat.id}
    finally:
        engine.dispose()


@pytest.fixture
def seeded(cli: CliRunner, database_url: str) -> dict[str, int]:
    assert cli("db", "upgrade").code == 0
    return _seed(database_url)


def _actions(out: str) -> list[str]:
    """The action column of the table's rows (between the rule and the closing line)."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    rows = lines[rule + 1 : lines.index("", rule)]
    found = []
    for row in rows:
        for action in ("export_xlsx_group", "export_xlsx", "view_case", "set_target"):
            if f"  {action}  " in row:
                found.append(action)
                break
    assert len(found) == len(rows), rows
    return found


def test_the_whole_log_newest_first_with_wib_times_and_names(
    cli: CliRunner, seeded: dict[str, int]
) -> None:
    result = cli("audit")
    assert result.code == 0, result.err
    assert result.out.startswith("Log audit (tanpa saringan), terbaru dahulu:\n")
    header = result.out.splitlines()[1]
    assert header.split() == ["Waktu", "(WIB)", "Pengguna", "Aksi", "Objek", "Rincian"]
    assert _actions(result.out) == [
        "view_case",
        "set_target",
        "export_xlsx_group",
        "view_case",
        "export_xlsx",
    ]
    assert "3 April 2026 23.59 WIB  Hasan Camat" in result.out
    assert f"Dewi Kesbang (#{seeded['dewi']}, tg:{DEWI_TG})" in result.out
    assert "2 Maret 2026 06.00 WIB" in result.out
    assert "incident KS-352808-2026-0001" in result.out
    assert "saluran: pribadi; isi: saran 0, daftar_kasus ya" in result.out
    assert result.out.endswith("\n5 entri.\n")


def test_a_person_by_user_id_or_telegram_id(cli: CliRunner, seeded: dict[str, int]) -> None:
    by_id = cli("audit", "--pengguna", str(seeded["dewi"]))
    by_telegram = cli("audit", "--pengguna", str(DEWI_TG))
    assert by_id.code == by_telegram.code == 0, by_id.err
    assert _actions(by_id.out) == _actions(by_telegram.out) == ["view_case", "export_xlsx"]
    assert "Hasan Camat" not in by_id.out
    assert f"pengguna Dewi Kesbang (#{seeded['dewi']}, Telegram {DEWI_TG})" in by_id.out
    unknown = cli("audit", "--pengguna", "987654")
    assert unknown.code == 1
    assert unknown.err == (
        "Gagal: Tidak ada pengguna dengan ID 987654 maupun ID Telegram 987654.\n"
    )


def test_office_days_are_wib_days_both_included(cli: CliRunner, seeded: dict[str, int]) -> None:
    # 2 March 06.00 WIB is 1 March in UTC: it belongs to 2 March.
    march_2 = cli("audit", "--dari", "2026-03-02", "--sampai", "2026-03-02")
    assert _actions(march_2.out) == ["export_xlsx"]
    march_1 = cli("audit", "--sampai", "2026-03-01")
    assert "Tidak ada entri yang cocok." in march_1.out
    # 3 April 23.59 WIB is still 3 April.
    april = cli("audit", "--dari", "2026-04-02", "--sampai", "2026-04-03")
    assert _actions(april.out) == ["view_case", "set_target"]
    since = cli("audit", "--dari", "2026-04-01")
    assert _actions(since.out) == ["view_case", "set_target", "export_xlsx_group"]


def test_an_action_or_its_beginning(cli: CliRunner, seeded: dict[str, int]) -> None:
    exports = cli("audit", "--aksi", "export")
    assert _actions(exports.out) == ["export_xlsx_group", "export_xlsx"]
    assert "aksi export*" in exports.out
    assert _actions(cli("audit", "--aksi", "view_case").out) == ["view_case", "view_case"]
    assert _actions(cli("audit", "--aksi", "EXPORT_XLSX_G").out) == ["export_xlsx_group"]
    combined = cli("audit", "--aksi", "view", "--pengguna", str(CAMAT_TG))
    assert _actions(combined.out) == ["view_case"]
    # "_" is a letter of the name, not a LIKE wildcard.
    assert "Tidak ada entri yang cocok." in cli("audit", "--aksi", "export_x_").out


def test_a_limit_says_when_there_is_more(cli: CliRunner, seeded: dict[str, int]) -> None:
    two = cli("audit", "--batas", "2")
    assert _actions(two.out) == ["view_case", "set_target"]
    assert two.out.endswith(
        "2 entri terbaru ditampilkan; masih ada entri lain yang cocok: perbesar --batas "
        "(sekarang 2) atau persempit saringannya.\n"
    )
    assert cli("audit", "--batas", "5").out.endswith("\n5 entri.\n")


def test_csv_writes_every_matching_entry(
    cli: CliRunner, cli_env: Path, seeded: dict[str, int]
) -> None:
    target = cli_env / "audit.csv"
    result = cli("audit", "--aksi", "export", "--csv", str(target))
    assert result.code == 0, result.err
    assert result.out == f"2 entri log audit ditulis ke {target}.\n"
    content = target.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read it as UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "waktu",
        "id_pengguna",
        "nama",
        "aktor",
        "aksi",
        "objek",
        "id_objek",
        "rincian",
    ]
    assert rows[1][:7] == [
        "2026-04-01T09:00:00+07:00",
        str(seeded["camat"]),
        "Hasan Camat",
        f"tg:{CAMAT_TG}",
        "export_xlsx_group",
        "laporan_iku",
        "",
    ]
    assert rows[2][0] == "2026-03-02T06:00:00+07:00"
    assert rows[2][7] == '{"saluran": "pribadi", "isi": {"saran": 0, "daftar_kasus": true}}'
    assert len(rows) == 3
    missing = cli("audit", "--csv", str(cli_env / "tidak-ada" / "audit.csv"))
    assert missing.code == 1
    assert "tidak ada" in missing.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--dari", "2026-13-01"],
            "argumen --dari: tanggal harus berformat YYYY-MM-DD: '2026-13-01'",
        ),
        (
            ["--sampai", "kemarin"],
            "argumen --sampai: tanggal harus berformat YYYY-MM-DD: 'kemarin'",
        ),
        (
            ["--pengguna", "dewi"],
            "argumen --pengguna: pengguna harus ID pengguna atau ID Telegram (bilangan bulat): "
            "'dewi'",
        ),
        (
            ["--pengguna", "0"],
            "argumen --pengguna: ID pengguna atau ID Telegram harus lebih dari 0",
        ),
        (["--batas", "0"], "argumen --batas: batas harus 1 sampai 10000: 0"),
        (["--batas", "banyak"], "argumen --batas: batas harus bilangan bulat: 'banyak'"),
        (["--aksi", "ekspor!"], "argumen --aksi: nama aksi hanya huruf kecil, angka dan garis"),
    ],
)
def test_bad_filters_are_explained_in_indonesian(
    cli: CliRunner,
    seeded: dict[str, int],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("audit", *args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "penggunaan: iku-bot audit" in err
    assert f"iku-bot audit: kesalahan perintah: {message}" in err


def test_the_help_is_indonesian(cli: CliRunner, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("audit", "--help")
    assert exc.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "ID pengguna atau ID Telegram orang yang dicari" in out
    assert "sejak tanggal ini (YYYY-MM-DD, WIB)" in out
    assert "options:" not in out


def test_dates_the_wrong_way_round_are_refused(cli: CliRunner, seeded: dict[str, int]) -> None:
    result = cli("audit", "--dari", "2026-04-02", "--sampai", "2026-04-01")
    assert result.code == 1
    assert result.err == "Gagal: Tanggal --dari (2026-04-02) sesudah --sampai (2026-04-01).\n"


def test_every_report_of_the_operator_is_an_audit_entry(
    cli: CliRunner, cli_env: Path, seeded: dict[str, int]
) -> None:
    assert cli("report", "--year", "2026").code == 0
    assert cli("report", "--year", "2026", "--semester", "1", "--format", "json").code == 0
    target = cli_env / "iku.xlsx"
    assert cli("report", "--year", "2026", "--format", "xlsx", "--output", str(target)).code == 0
    # A refused report (no --output) writes nothing and logs nothing.
    assert cli("report", "--format", "xlsx").code == 2
    out = cli("audit", "--aksi", "export_", "--csv", str(cli_env / "a.csv"))
    assert out.code == 0, out.err
    rows = list(csv.DictReader(io.StringIO((cli_env / "a.csv").read_text("utf-8-sig"))))
    mine = [r for r in rows if r["aktor"] == "cli"]
    assert [(r["aksi"], r["id_objek"], r["id_pengguna"]) for r in mine] == [
        ("export_xlsx", "35.28.08/2026-01-01/2026-12-31", ""),
        ("export_json", "35.28.08/2026-01-01/2026-06-30", ""),
        ("export_table", "35.28.08/2026-01-01/2026-12-31", ""),
    ]
    assert '"saluran": "cli"' in mine[0]["rincian"]
    assert '"kasus_dengan_rincian"' in mine[0]["rincian"]
    assert '"bentuk": "tabel"' in mine[2]["rincian"]
