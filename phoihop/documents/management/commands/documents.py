"""`phoihop documents verify FILE.pdf`: the signature(s) of a PDF checked against the trust roots, as JSON
(signer, time, integrity, trust, verdict); exit status 0 valid, 1 valid but the signer is not trusted, 2 not
signed, 3 broken (modified after signing, or unreadable).

`phoihop documents keys`: which organisations have a signing key, and where (never a secret).
`phoihop documents demo-keys`: make the DEMO CA and a DEMO key for every organisation (under var/signing/demo/).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from phoihop.directory.models import Organisation

from ...choices import Verdict
from ...signing import demo
from ...signing.keys import key_source
from ...signing.pades import verify_pdf

EXIT = {Verdict.VALID: 0, Verdict.UNTRUSTED: 1, Verdict.UNSIGNED: 2, Verdict.MODIFIED: 3}
MAX_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = "Official documents: verify a signed PDF, list the organisations' signing keys, make the DEMO keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the signatures of a PDF (JSON on stdout)")
        verify.add_argument("file", help="the PDF file")
        sub.add_parser("keys", help="which organisations have a signing key configured")
        sub.add_parser("demo-keys", help="make the DEMO CA and one DEMO key per organisation (never for real use)")

    def handle(self, *args, action, **options):
        if action == "verify":
            self._verify(Path(options["file"]))
        elif action == "keys":
            self._keys()
        else:
            made = demo.keys_ensure(Organisation.objects.valid_on(timezone.localdate()))
            self.stdout.write(f"{made} DEMO keys made under {demo.ca_cert_path().parent}")

    def _verify(self, path: Path) -> None:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path}: over {MAX_BYTES // (1024 * 1024)} MB")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        if not data.lstrip()[:5] == b"%PDF-":
            raise CommandError(f"{path}: not a PDF")
        result = verify_pdf(data)
        self.stdout.write(json.dumps({"file": str(path), **result.as_dict()}, ensure_ascii=False, indent=1))
        code = EXIT[Verdict(result.verdict)]
        if code:
            sys.stdout.flush()
            sys.exit(code)

    def _keys(self) -> None:
        rows = []
        for org in Organisation.objects.valid_on(timezone.localdate()).order_by("code"):
            source = key_source(org)
            rows.append(
                {
                    "organisation": org.code,
                    "kind": source.kind if source else None,
                    "where": source.location if source else None,
                }
            )
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
