#!/usr/bin/env python
"""Official documents benchmark: the head's signature (number from the register + PDF layout + PAdES signature)
and sending it to 10 recipient organisations (incoming register numbers, verification on receipt, e-mail
queued), then the verification of a received document alone and a registration by hand of a signed PDF.

Run from the project root:

    .venv/bin/python bench/documents.py                       # SQLite, 30 documents
    .venv/bin/python bench/documents.py --db postgres --documents 50 --json

Each document is drafted and submitted (not timed), then signed and sent through the services, in one process
on a fresh database with the DEMO keys (ECDSA P-256) of a fresh var folder. Figures are wall-clock ms per
document: median and p95, and the CPU time of the process (what a shared machine's load does not inflate;
the database server's own time on PostgreSQL is not in it). The aim of issue 10 is under 300 ms per signed
document on two cores.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this folder comes first on sys.path and bench/http.py would shadow the standard library's
# `http` package: take the folder off first, then import bench/intake.py by path.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse
import json
import statistics
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import Target, setup_django  # bench/intake.py, beside this file

RECIPIENTS = [
    "st-police",
    "st-police-investigation",
    "st-viettel",
    "st-vnpt",
    "st-mobifone",
    "st-doit",
    "st-border-guard",
    "st-procuracy",
    "st-newspaper",
    "st-radio-tv",
]
BODY = (
    "Thực hiện Quy chế phối hợp ban hành kèm theo Quyết định số 11/2013/QĐ-UBND của Ủy ban nhân dân tỉnh Sóc Trăng, "
    "Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị phối hợp xác minh, xử lý các số điện thoại, trang "
    "thông tin điện tử có dấu hiệu lừa đảo chiếm đoạt tài sản trên địa bàn tỉnh.\n"
) * 4


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "min_ms": round(ordered[0], 1),
        "n": len(ordered),
    }


def run(args) -> dict:
    target = Target(kind=args.db)
    target.create()
    try:
        setup_django(target)
        from django.core.management import call_command

        from phoihop.audit.services import AuditContext
        from phoihop.directory.choices import Role
        from phoihop.directory.models import Organisation, User
        from phoihop.documents import services
        from phoihop.documents.choices import DocumentKind
        from phoihop.documents.signing import demo
        from phoihop.documents.signing.pades import verify_pdf
        from phoihop.rulesets.services import ruleset_load

        call_command("migrate", interactive=False, verbosity=0)
        ruleset_load(code_or_path="soctrang-2013")
        dic = Organisation.objects.get(code="st-dic")
        focal = User.objects.create_user(username="dic.focal", organisation=dic, role=Role.FOCAL_POINT)
        head = User.objects.create_user(
            username="dic.head", organisation=dic, role=Role.HEAD, first_name="Phúc", last_name="Lê Hoàng"
        )
        police = User.objects.create_user(
            username="police.focal", organisation=Organisation.objects.get(code="st-police"), role=Role.FOCAL_POINT
        )
        recipients = list(Organisation.objects.filter(code__in=RECIPIENTS))
        for org in recipients:
            User.objects.create_user(
                username=f"focal.{org.code}", organisation=org, role=Role.FOCAL_POINT, email=f"{org.code}@example.vn"
            )
        demo.keys_ensure([dic])
        as_focal, as_head = AuditContext(actor=focal), AuditContext(actor=head)

        def submitted():
            doc = services.document_draft(
                ctx=as_focal,
                organisation=dic,
                kind=DocumentKind.OFFICIAL_LETTER,
                summary="Đề nghị phối hợp xác minh, xử lý thuê bao và trang web có dấu hiệu lừa đảo",
                body=BODY,
                recipients=recipients,
                urgency="khan",
                signer_position="KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC",
                drafting_unit="TTra",
            )
            return services.document_submit(ctx=as_focal, document=doc)

        for _ in range(args.warmup):
            services.document_send(ctx=as_head, document=services.document_sign(ctx=as_head, document=submitted()))
        sign_ms, send_ms, total_ms, verify_ms, register_ms, cpu_ms = [], [], [], [], [], []
        last = None
        for _ in range(args.documents):
            doc = submitted()
            c0, t0 = time.process_time(), time.perf_counter()
            doc = services.document_sign(ctx=as_head, document=doc)
            t1 = time.perf_counter()
            doc = services.document_send(ctx=as_head, document=doc)
            t2, c2 = time.perf_counter(), time.process_time()
            sign_ms.append((t1 - t0) * 1000)
            send_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
            cpu_ms.append((c2 - c0) * 1000)
            last = doc
        assert last is not None and last.recipients.filter(incoming_number__isnull=False).count() == len(RECIPIENTS)
        pdf = bytes(last.pdf)
        for _ in range(args.documents):
            t0 = time.perf_counter()
            result = verify_pdf(pdf)
            verify_ms.append((time.perf_counter() - t0) * 1000)
            assert result.verdict == "valid"
        for i in range(min(args.documents, 20)):
            t0 = time.perf_counter()
            services.document_register_incoming(
                ctx=AuditContext(actor=police),
                organisation=police.organisation,
                file=pdf,
                kind=DocumentKind.OFFICIAL_LETTER,
                summary="Bản sao nhận qua thư điện tử",
                reference=f"{last.reference}-{i}",
                issuer=dic,
            )
            register_ms.append((time.perf_counter() - t0) * 1000)
        return {
            "db": target.server_version(),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "recipients": len(RECIPIENTS),
            "pdf_bytes": len(pdf),
            "sign (number + layout + PAdES)": _stats(sign_ms),
            "send to 10 (registers + verification + e-mail)": _stats(send_ms),
            "signed and delivered (total)": _stats(total_ms),
            "CPU of this process, signed and delivered": _stats(cpu_ms),
            "verification of a received PDF": _stats(verify_ms),
            "registration by hand of a signed PDF": _stats(register_ms),
        }
    finally:
        target.drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--documents", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"{result['db']}, {result['cpus']} CPUs, load {result['load_average_1m']}, PDF {result['pdf_bytes']} bytes")
    for name, value in result.items():
        if isinstance(value, dict):
            print(
                f"  {name:48s} median {value['median_ms']:7.1f} ms   p95 {value['p95_ms']:7.1f} ms   (n={value['n']})"
            )


if __name__ == "__main__":
    main()
