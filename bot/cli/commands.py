"""The operator command line: ``iku-bot COMMAND ...`` calls the same use cases as the bot."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from bot import texts
from bot.cli import imports
from bot.cli.argparse_id import indonesian
from bot.cli.audit import add_audit_parser, cmd_audit
from bot.cli.backup import BACKUP_COMMANDS, register_backup_commands, run_backup_command
from bot.cli.evidence import add_evidence_parser, cmd_evidence_export
from bot.cli.kabupaten import add_kabupaten_option, cmd_report_kabupaten
from bot.cli.kabupaten_admin import COMMAND as KABUPATEN_ADMIN
from bot.cli.kabupaten_admin import add_kabupaten_admin_parser, cmd_kabupaten_admin
from bot.cli.options import kecamatan_option, period_of, write_atomically, year
from bot.cli.progress import COMMAND as PROGRESS
from bot.cli.progress import add_progress_parser, cmd_progress
from bot.cli.publication import PUBLICATION_COMMANDS, add_publication_parsers, cmd_publication
from bot.cli.skm_report import COMMAND as REPORT_SKM
from bot.cli.skm_report import add_skm_report_parser, cmd_report_skm
from bot.config import Settings, SettingsError, load_settings
from bot.logging_setup import setup_logging
from bot.reports.iku import fmt_date_id, fmt_in_unit, report_json, report_text
from bot.reports.office import to_pdf
from bot.reports.printing import setup_for
from bot.reports.workbook import report_workbook
from bot.runtime import Runtime, open_runtime
from domain.audit import Channel, ExportForm, record_export
from domain.digest import IsoWeek
from domain.errors import DomainError, InvalidInput
from domain.export import Viewer, export_report
from domain.indicators import INDICATORS
from domain.models import IndicatorCode, SkmService
from domain.ports import KecamatanSeed
from domain.report import iku_report
from domain.survey import flush_survey_pool
from domain.usecases import (
    add_service,
    confirm_example_service,
    remove_example_service,
    set_target,
    update_service,
)
from storage.migrate import upgrade
from storage.seed import load_seed_file, seed_conflicts, seed_kecamatan

__all__ = ["build_parser", "main"]

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse with an Indonesian error line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: kesalahan perintah: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``iku-bot`` argument parser."""
    parser = _Parser(
        prog="iku-bot",
        description="Bot Telegram dan alat operator IKU kecamatan. Tanpa perintah: "
        "menjalankan bot.",
    )
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", parser_class=_Parser)

    sub.add_parser("run", help="menjalankan bot (bawaan bila tanpa perintah)")
    sub.add_parser(
        "doctor", help="memeriksa pengaturan, basis data, Telegram, grup, jadwal dan antrean"
    )

    con = sub.add_parser(
        "console",
        help="mencoba bot secara offline di terminal, tanpa token (basis data yang sama)",
    )
    con.add_argument(
        "--user-id",
        type=_telegram_id,
        metavar="ID",
        help="ID Telegram yang diperankan (bawaan: 1); ADMIN_TELEGRAM_IDS berlaku juga",
    )
    con.add_argument("--nama", metavar="NAMA", help="nama tampilan (bawaan: Pengguna Konsol)")

    db = sub.add_parser("db", help="basis data")
    db_sub = db.add_subparsers(dest="db_command", metavar="AKSI", required=True)
    db_sub.add_parser("upgrade", help="menerapkan migrasi dan data kecamatan bawaan")
    seed = db_sub.add_parser(
        "seed",
        help="mendaftarkan kecamatan dan desanya dari berkas JSON (satu kecamatan atau satu "
        "kabupaten dengan daftar 'kecamatan')",
    )
    seed.add_argument("files", nargs="+", type=Path, metavar="BERKAS")
    register_backup_commands(db_sub)

    idm = sub.add_parser(
        "import-idm", help="impor hasil IDM (JSON Kemendesa, atau CSV/XLSX kode_desa,tahun,...)"
    )
    idm.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _ganti_option(idm)
    kecamatan_option(idm)

    skm = sub.add_parser("import-skm", help="impor kuesioner SKM kertas (CSV atau XLSX)")
    skm.add_argument("file", type=Path, metavar="BERKAS")
    _ganti_option(skm)
    kecamatan_option(skm)

    imp = sub.add_parser("import", help="batch impor: daftar dan pembatalan")
    imp_sub = imp.add_subparsers(dest="import_command", metavar="AKSI", required=True)
    ilist = imp_sub.add_parser("list", help="menampilkan batch impor, terbaru dulu")
    ilist.add_argument("--jenis", choices=["skm", "idm"], help="hanya batch SKM atau IDM")
    ilist.add_argument(
        "--batas",
        type=imports.list_limit,
        default=imports.LIST_LIMIT,
        metavar="N",
        help=f"paling banyak N batch (bawaan: {imports.LIST_LIMIT})",
    )
    kecamatan_option(ilist)
    iundo = imp_sub.add_parser(
        "undo", help="membatalkan satu batch (SKM: respondennya dihapus; IDM: nilai lama kembali)"
    )
    iundo.add_argument("id", type=imports.batch_id, metavar="ID", help="nomor batch, mis. 7")
    kecamatan_option(iundo)

    target = sub.add_parser("target", help="target tahunan indikator")
    target_sub = target.add_subparsers(dest="target_command", metavar="AKSI", required=True)
    tset = target_sub.add_parser("set", help="menetapkan target")
    codes = "; ".join(f"{d.code.value} ({d.indikator}, {d.satuan})" for d in INDICATORS)
    tset.add_argument(
        "indicator",
        choices=[c.value for c in IndicatorCode],
        metavar="INDIKATOR",
        help=f"kode indikator: {codes}".replace("%", "%%"),
    )
    tset.add_argument("year", type=year, metavar="TAHUN", help="tahun target, mis. 2026")
    tset.add_argument(
        "value", type=_decimal, metavar="NILAI", help="nilai target dalam satuannya, mis. 77 atau 3"
    )
    kecamatan_option(tset)
    tlist = target_sub.add_parser("list", help="menampilkan target satu tahun")
    tlist.add_argument("year", type=year, metavar="TAHUN")
    kecamatan_option(tlist)

    lay = sub.add_parser("layanan", help="layanan SKM kantor (untuk kuesioner dan sampel minimal)")
    lay_sub = lay.add_subparsers(dest="layanan_command", metavar="AKSI", required=True)
    ladd = lay_sub.add_parser("add", help="mendaftarkan layanan")
    ladd.add_argument("kode", metavar="KODE", help="kode pendek, mis. ktp (dipakai di tautan SKM)")
    ladd.add_argument("nama", metavar="NAMA", help="nama layanan, mis. 'Rekomendasi KTP-el'")
    ladd.add_argument(
        "--populasi", type=_population, metavar="N", help="jumlah orang dilayani per tahun"
    )
    kecamatan_option(ladd)
    lupd = lay_sub.add_parser("update", help="mengubah nama, populasi, atau status layanan")
    lupd.add_argument("kode", metavar="KODE")
    lupd.add_argument("--nama", metavar="NAMA")
    lupd.add_argument("--populasi", type=_population, metavar="N")
    state = lupd.add_mutually_exclusive_group()
    state.add_argument("--aktif", dest="active", action="store_true", default=None)
    state.add_argument("--nonaktif", dest="active", action="store_false")
    kecamatan_option(lupd)
    llist = lay_sub.add_parser("list", help="menampilkan layanan")
    kecamatan_option(llist)
    lconf = lay_sub.add_parser(
        "confirm", help="mengonfirmasi layanan contoh sebagai layanan kantor"
    )
    lconf.add_argument("kode", metavar="KODE", help="kode layanan contoh, mis. ktp")
    kecamatan_option(lconf)
    lrem = lay_sub.add_parser(
        "remove",
        help="menghapus layanan contoh (yang sudah punya tanggapan dinonaktifkan, "
        "tanggapannya tetap tersimpan)",
    )
    lrem.add_argument("kode", metavar="KODE", help="kode layanan contoh, mis. pbg")
    kecamatan_option(lrem)

    skm_cmd = sub.add_parser("skm", help="jawaban survei kepuasan (SKM)")
    skm_sub = skm_cmd.add_subparsers(dest="skm_command", metavar="AKSI", required=True)
    skm_sub.add_parser(
        "flush", help="menulis semua jawaban yang menunggu dalam urutan acak (README)"
    )
    add_publication_parsers(skm_sub)
    add_progress_parser(sub)
    rep = sub.add_parser("report", help="tabel IKU untuk satu periode")
    rep.add_argument("--year", type=year, metavar="TAHUN", help="tahun (bawaan: tahun ini)")
    part = rep.add_mutually_exclusive_group()
    part.add_argument("--semester", type=int, choices=[1, 2], metavar="N")
    part.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], metavar="N")
    part.add_argument(
        "--range",
        nargs=2,
        type=_date,
        metavar=("MULAI", "SELESAI"),
        help="rentang tanggal YYYY-MM-DD YYYY-MM-DD",
    )
    rep.add_argument(
        "--format",
        choices=["table", "json", "xlsx", "pdf"],
        default="table",
        help="table (bawaan), json, xlsx (laporan Excel lengkap) atau pdf (tabel IKU "
        "bertanda tangan, siap cetak; perlu LibreOffice); xlsx dan pdf perlu --output",
    )
    rep.add_argument(
        "--output",
        type=Path,
        metavar="BERKAS",
        help="berkas .xlsx atau .pdf yang ditulis (--format xlsx/pdf)",
    )
    kecamatan_option(rep)
    add_kabupaten_option(rep)
    add_skm_report_parser(rep)

    dig = sub.add_parser(
        "digest", help="ringkasan mingguan untuk grup Camat (dengan --dry-run: hanya dicetak)"
    )
    dig.add_argument(
        "--dry-run",
        action="store_true",
        help="mencetak ringkasan yang akan dikirim tanpa mengirim apa pun",
    )
    dig.add_argument(
        "--week",
        type=_iso_week,
        metavar="MINGGU",
        help="minggu ISO, mis. 2026-W47 (bawaan: minggu terakhir yang sudah lewat)",
    )
    dig.add_argument("--chart", type=Path, metavar="BERKAS.png", help="menulis grafiknya ke sini")
    kecamatan_option(dig)
    add_audit_parser(sub)
    add_evidence_parser(sub)
    add_kabupaten_admin_parser(sub)
    return parser


def _ganti_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ganti",
        action="store_true",
        help="berkas yang sama sudah pernah diimpor: batch lamanya dibatalkan dan diganti",
    )


def _telegram_id(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ID Telegram harus bilangan bulat: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"ID Telegram harus lebih dari 0: {value}")
    return value


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"bukan angka: {text!r}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"bukan angka: {text!r}")
    return value


def _population(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"populasi harus bilangan bulat: {text!r}") from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal harus berformat YYYY-MM-DD: {text!r}") from None


def cmd_target(runtime: Runtime, args: argparse.Namespace) -> int:
    """Set or list annual targets."""
    kec = runtime.kecamatan(args.kecamatan)
    if args.target_command == "set":
        indicator = IndicatorCode(args.indicator)
        with runtime.uow() as uow:
            set_target(
                uow,
                kecamatan_id=kec.id,
                indicator=indicator,
                tahun=args.year,
                value=args.value,
                actor="cli",
            )
            uow.commit()
        print(
            f"Target {indicator.value} tahun {args.year} Kecamatan {kec.nama}: "
            f"{fmt_in_unit(_DEFINITION[indicator], args.value)}"
        )
        return EXIT_OK
    with runtime.uow() as uow:
        targets = uow.targets.for_year(kec.id, args.year)
    print(f"Target tahun {args.year} Kecamatan {kec.nama}:")
    for code in IndicatorCode:
        value = targets.get(code)
        shown = fmt_in_unit(_DEFINITION[code], value) if value is not None else "belum ada"
        print(f"  {code.value:<22} {shown}")
    return EXIT_OK


_DEFINITION = {definition.code: definition for definition in INDICATORS}


def cmd_layanan(runtime: Runtime, args: argparse.Namespace) -> int:
    """Register or list SKM services."""
    kec = runtime.kecamatan(args.kecamatan)
    if args.layanan_command == "add":
        with runtime.uow() as uow:
            service = add_service(
                uow,
                kecamatan_id=kec.id,
                kode=args.kode,
                nama=args.nama,
                population=args.populasi,
                actor="cli",
            )
            uow.commit()
        print(f"Layanan {service.kode} ({service.nama}) terdaftar di Kecamatan {kec.nama}.")
        return EXIT_OK
    if args.layanan_command == "update":
        with runtime.uow() as uow:
            service = update_service(
                uow,
                kecamatan_id=kec.id,
                kode=args.kode,
                nama=args.nama,
                population=args.populasi,
                active=args.active,
                actor="cli",
            )
            uow.commit()
        state = "aktif" if service.active else "nonaktif"
        print(
            f"Layanan {service.kode}: {service.nama}, populasi {_population_text(service)}, "
            f"{state}."
        )
        return EXIT_OK
    if args.layanan_command == "confirm":
        with runtime.uow() as uow:
            service = confirm_example_service(uow, kecamatan_id=kec.id, kode=args.kode, actor="cli")
            uow.commit()
        print(
            f"Layanan {service.kode} ({service.nama}) dikonfirmasi sebagai layanan "
            f"Kecamatan {kec.nama}."
        )
        return EXIT_OK
    if args.layanan_command == "remove":
        with runtime.uow() as uow:
            removal = remove_example_service(uow, kecamatan_id=kec.id, kode=args.kode, actor="cli")
            uow.commit()
        service = removal.service
        if removal.deleted:
            print(f"Layanan contoh {service.kode} ({service.nama}) dihapus.")
        else:
            print(
                f"Layanan contoh {service.kode} ({service.nama}) sudah punya "
                f"{removal.responses} tanggapan: layanan dinonaktifkan, tanggapannya tetap "
                "tersimpan."
            )
        return EXIT_OK
    with runtime.uow() as uow:
        services = uow.skm.list_services(kec.id)
    if not services:
        print(f"Belum ada layanan SKM di Kecamatan {kec.nama}.")
        return EXIT_OK
    print(f"Layanan SKM Kecamatan {kec.nama}:")
    for item in services:
        state = "" if item.active else " (nonaktif)"
        mark = f" {EXAMPLE_MARK}" if item.example else ""
        print(f"  {item.kode:<16} {item.nama:<40} populasi {_population_text(item)}{state}{mark}")
    if any(item.example for item in services):
        print(EXAMPLES_HINT)
    return EXIT_OK


EXAMPLE_MARK = "(contoh, belum dikonfirmasi)"
EXAMPLES_HINT = (
    "Layanan contoh berasal dari data bawaan kecamatan: konfirmasi yang memang dilayani "
    "dengan 'iku-bot layanan confirm KODE', hapus yang tidak dengan "
    "'iku-bot layanan remove KODE'."
)


def _population_text(service: SkmService) -> str:
    return "-" if service.population is None else str(service.population)


def _report_usage_error(message: str) -> int:
    """A wrong combination of ``report`` options: the same line and code as argparse's."""
    print(f"iku-bot report: kesalahan perintah: {message}", file=sys.stderr)
    return EXIT_USAGE


def _xlsx_target(output: Path) -> Path:
    """The file to write: its folder must exist, and it must not be a folder itself."""
    folder = output.parent
    if not folder.is_dir():
        raise InvalidInput(
            f"Folder {folder} tidak ada. Buat foldernya dulu, atau pilih berkas di folder lain."
        )
    if output.is_dir():
        raise InvalidInput(
            f"{output} adalah folder. Tulis nama berkas, misalnya {output}/iku.xlsx."
        )
    return output


def cmd_report(runtime: Runtime, args: argparse.Namespace) -> int:
    """Print the IKU table of a period, or write the full report as an Excel workbook."""
    if args.kabupaten:
        return cmd_report_kabupaten(runtime, args)
    output: Path | None = args.output
    if args.format in ("xlsx", "pdf"):
        suffix = f".{args.format}"
        if output is None:
            return _report_usage_error(f"--format {args.format} memerlukan --output BERKAS{suffix}")
        if output.suffix.lower() != suffix:
            return _report_usage_error(f"berkas --output harus berakhiran {suffix}: {output}")
    elif output is not None:
        return _report_usage_error("--output hanya dipakai bersama --format xlsx atau pdf")
    now = runtime.now()
    period = period_of(args, now.date())
    code = args.kecamatan or runtime.settings.kecamatan
    if output is not None:
        target = _xlsx_target(output)
        with runtime.uow() as uow:  # the operator's export, audited once it is written
            data = export_report(
                uow,
                viewer=Viewer.operator(),
                kecamatan_code=code,
                period=period,
                now=now,
                form=ExportForm.PDF if args.format == "pdf" else ExportForm.XLSX,
            )
            setup = setup_for(runtime.settings, data.report.kecamatan)
            if args.format == "pdf":
                # The IKU table alone, as signed: one page (A4 or F4, landscape).
                iku_only = report_workbook(
                    data, runtime.settings.tz, setup, sheets=(texts.WB_SHEET_IKU,)
                )
                content = to_pdf(iku_only, ".xlsx")
            else:
                content = report_workbook(data, runtime.settings.tz, setup)
            write_atomically(target, content)
            uow.commit()
        what = "Tabel IKU" if args.format == "pdf" else "Laporan IKU"
        print(
            f"{what} Kecamatan {data.report.kecamatan.nama} periode "
            f"{fmt_date_id(period.start)} s.d. {fmt_date_id(period.end)} ditulis ke {target}."
        )
        return EXIT_OK
    form = ExportForm.JSON if args.format == "json" else ExportForm.TABLE
    with runtime.uow() as uow:
        report = iku_report(uow, kecamatan_code=code, period=period, now=now)
        record_export(
            uow,
            user=None,
            channel=Channel.CLI,
            kecamatan=report.kecamatan,
            period=period,
            form=form,
            contents={"tabel_iku": True},
            at=now,
        )
        uow.commit()
    if args.format == "json":
        print(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        print(report_text(report), end="")
    return EXIT_OK


def _iso_week(text: str) -> IsoWeek:
    try:
        return IsoWeek.parse(text)
    except InvalidInput as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def cmd_digest(runtime: Runtime, args: argparse.Namespace) -> int:
    """Print the weekly digest as it would be sent (and write its chart); send nothing."""
    if not args.dry_run:
        print(
            "iku-bot: ringkasan dikirim oleh bot sesuai DIGEST_SCHEDULE; gunakan --dry-run "
            "untuk melihatnya tanpa mengirim.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    chart_path: Path | None = args.chart
    if chart_path is not None and not chart_path.parent.is_dir():
        print(f"Gagal: folder {chart_path.parent} tidak ada.", file=sys.stderr)
        return EXIT_ERROR
    # Imported here: the digest service brings the Telegram stack, which no other
    # operator command needs.
    from bot.digest.sender import DigestService, reported_week

    now = runtime.now()
    week: IsoWeek = args.week or reported_week(now)
    code = args.kecamatan or runtime.settings.kecamatan
    service = DigestService(runtime, runtime.settings)
    composed = service.compose(code, week, now)
    total = len(composed.messages)
    for number, message in enumerate(composed.messages, start=1):
        print(f"--- pesan {number}/{total} ({len(message)} karakter) ---")
        print(message)
    if composed.chart is None:
        print("--- grafik tidak dapat dibuat (lihat log); teks tetap dikirim ---")
    else:
        print(f"--- grafik: {composed.caption} ---")
        if chart_path is not None:
            write_atomically(chart_path, composed.chart)
            print(f"Grafik ditulis ke {chart_path} ({len(composed.chart)} bita).")
    return EXIT_OK


def cmd_db(settings: Settings, args: argparse.Namespace) -> int:
    """Apply migrations, or register kecamatan from data files."""
    if args.db_command in BACKUP_COMMANDS:
        return run_backup_command(settings, args)
    if args.db_command == "upgrade":
        runtime = open_runtime(settings)
        runtime.close()
        print("Basis data mutakhir.")
        return EXIT_OK
    seeds: list[KecamatanSeed] = []
    problems: list[str] = []
    for path in args.files:
        try:
            seeds.extend(load_seed_file(path))
        except InvalidInput as error:
            problems.append(str(error))
    if problems:  # every problem of every file at once, nothing written
        raise InvalidInput("\n".join(problems))
    upgrade(settings.database_url)
    runtime = open_runtime(settings, prepare=False)
    try:
        with runtime.uow() as uow:  # all files in one transaction: all or nothing
            conflicts = seed_conflicts(uow, seeds)
            if conflicts:
                raise InvalidInput("\n".join(conflicts))
            report: list[tuple[KecamatanSeed, int, int]] = []
            for seed in seeds:
                changed = seed_kecamatan(uow, seed)
                kec = uow.kecamatan.get_by_code(seed.kode)
                assert kec is not None
                examples = sum(s.example for s in uow.skm.list_services(kec.id))
                report.append((seed, changed, examples))
            uow.commit()
        for seed, changed, examples in report:
            print(
                f"Kecamatan {seed.nama} ({seed.kode}) dengan {len(seed.desa)} desa: "
                + (
                    f"{changed} baris baru/diubah."
                    if changed
                    else "sudah terdaftar, tidak berubah."
                )
            )
            if examples:
                print(
                    f"{examples} layanan contoh belum dikonfirmasi (lihat 'iku-bot layanan list')."
                )
    finally:
        runtime.close()
    return EXIT_OK


def run_bot(settings: Settings) -> int:
    """Run the Telegram bot (long polling)."""
    from bot.app import run  # imported late: the CLI commands need no Telegram stack

    return run(settings)


def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    """Talk to the bot in the terminal, offline, on the configured database."""
    # Imported late, like the bot: the other CLI commands need no Telegram stack.
    from bot.cli.console import DEFAULT_NAME, DEFAULT_USER_ID, run_console

    user_id = args.user_id if args.user_id is not None else DEFAULT_USER_ID
    name = args.nama.strip() if args.nama and args.nama.strip() else DEFAULT_NAME
    interactive = sys.stdin.isatty()
    # A loop of our own rather than asyncio.run(): its Ctrl+C handling would wait for
    # the line being read; here Ctrl+C stops the console at once (and cleanly).
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(
            run_console(
                settings, user_id, sys.stdin, sys.stdout, name=name, interactive=interactive
            )
        )
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def cmd_skm(runtime: Runtime, args: argparse.Namespace) -> int:
    """``skm flush``: the pooled answers written now in a random order."""
    if args.skm_command in PUBLICATION_COMMANDS:
        return cmd_publication(runtime, args)
    assert args.skm_command == "flush"
    with runtime.uow() as uow:
        moved = flush_survey_pool(uow)
        uow.commit()
    print(
        f"{moved} jawaban SKM ditulis dalam urutan acak."
        if moved
        else "Tidak ada jawaban SKM yang menunggu."
    )
    return EXIT_OK


_COMMANDS: dict[str, Callable[[Runtime, argparse.Namespace], int]] = {
    "skm": cmd_skm,
    "import-idm": imports.cmd_import_idm,
    "import-skm": imports.cmd_import_skm,
    "import": imports.cmd_import,
    "target": cmd_target,
    "layanan": cmd_layanan,
    "report": cmd_report,
    REPORT_SKM: cmd_report_skm,
    PROGRESS: cmd_progress,
    "digest": cmd_digest,
    "audit": cmd_audit,
    "ekspor-bukti": cmd_evidence_export,
    KABUPATEN_ADMIN: cmd_kabupaten_admin,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``iku-bot``; returns the process exit code."""
    with indonesian():
        args = build_parser().parse_args(argv)
    if args.command == "doctor":  # checks the settings itself, and never writes
        from bot.cli.doctor import main as doctor

        return doctor()
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERROR
    setup_logging(settings)
    try:
        if args.command in (None, "run"):
            return run_bot(settings)
        if args.command == "db":
            return cmd_db(settings, args)
        if args.command == "console":
            return cmd_console(settings, args)
        runtime = open_runtime(settings)
        try:
            return _COMMANDS[args.command](runtime, args)
        finally:
            runtime.close()
    except DomainError as exc:
        print(f"Gagal: {exc}", file=sys.stderr)
        return EXIT_ERROR
