"""PAdES signing and verification with pyHanko (ETSI EN 319 142: a PAdES baseline signature, a CAdES
detached signature embedded in the PDF), with a visible stamp in the document's own font.

    sign_pdf(pdf, signer=, box=, page=, ...)      the signed PDF (bytes), timestamped by PHOIHOP_TSA_URL if set
    verify_pdf(pdf)                              signer, time, integrity, trust and the verdict (choices.Verdict)
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass
from pathlib import Path

from ..choices import Verdict
from ..conf import trust_root_paths, tsa_url
from . import demo

FIELD = "ChuKyCoQuan"  # the signature field of the issuing organisation


def _stamp_style():
    """The field's own appearance is transparent: the stamp (signer, organisation, time, in the document's
    font) is drawn in the page beneath it by the renderer, so the signature covers it too."""
    from pyhanko.stamp import TextStampStyle

    return TextStampStyle(stamp_text="", border_width=0)


def _timestamper():
    url = tsa_url()
    if not url:
        return None
    from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=10)


def sign_pdf(pdf: bytes, *, signer, box: tuple[int, int, int, int], page: int, reason: str, location: str) -> bytes:
    """`pdf` signed by `signer`, its signature field over the stamp's `box` (points, from the bottom left) of `page`."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=_timestamper(),
        stamp_style=_stamp_style(),
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD, on_page=page, box=box),
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


def trust_roots() -> list:
    """The configured trust roots, and the DEMO CA when the demo made one."""
    from pyhanko.sign.general import load_certs_from_pemder

    files: list[Path] = []
    for path in trust_root_paths():
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in {".pem", ".crt", ".cer", ".der"})
        elif path.exists():
            files.append(path)
    if demo.ca_cert_path().exists():
        files.append(demo.ca_cert_path())
    return list(load_certs_from_pemder([str(f) for f in files]))


@dataclass(frozen=True)
class Verification:
    """What verifying a PDF found (the JSON of `phoihop documents verify`)."""

    verdict: str
    signer: str = ""
    organisation: str = ""
    time: str = ""
    timestamped: bool = False
    integrity: str = ""  # "intact" | "modified" | "" (no signature)
    trust: str = ""  # "trusted" | "untrusted" | ""
    coverage: str = ""
    signatures: int = 0
    reason: str = ""

    def as_dict(self) -> dict:
        return {**asdict(self), "verdict": str(self.verdict.value if hasattr(self.verdict, "value") else self.verdict)}

    @property
    def broken(self) -> bool:
        return self.verdict == Verdict.MODIFIED


def _name_part(cert, key: str) -> str:
    try:
        return str(cert.subject.native.get(key, ""))
    except (AttributeError, ValueError):
        return ""


def verify_pdf(pdf: bytes) -> Verification:
    """Verify every signature of `pdf` against the trust roots, offline (no revocation fetching).

    The verdict is that of the worst signature: modified after signing (the bytes it covers changed, the
    signature itself is broken, or the file was changed afterwards in a way a signature does not allow),
    else valid but not trusted (no path to a trust root), else valid."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        return Verification(verdict=Verdict.MODIFIED, integrity="modified", reason=f"unreadable: {exc}"[:300])
    if not signatures:
        return Verification(verdict=Verdict.UNSIGNED)
    context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    worst: Verification | None = None
    rank = {Verdict.VALID: 0, Verdict.UNTRUSTED: 1, Verdict.MODIFIED: 2}
    for embedded in signatures:
        try:
            status = validate_pdf_signature(
                embedded, context, key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"})
            )
        except Exception as exc:  # a signature too damaged to parse is a broken one
            found = Verification(
                verdict=Verdict.MODIFIED, integrity="modified", signatures=len(signatures), reason=str(exc)[:300]
            )
        else:
            cert = status.signing_cert
            moved = status.modification_level is not None and status.modification_level.name not in {
                "NONE",
                "LTA_UPDATES",
            }
            intact = bool(status.intact and status.valid and not moved)
            ts = status.timestamp_validity
            when = (ts.timestamp if ts is not None else status.signer_reported_dt) if intact else None
            if not intact:
                verdict, reason = (
                    Verdict.MODIFIED,
                    "digest mismatch"
                    if not status.intact
                    else ("signature invalid" if not status.valid else "changed after signing"),
                )
            elif not status.trusted:
                verdict, reason = (
                    Verdict.UNTRUSTED,
                    "; ".join(str(e) for e in getattr(status, "validation_path_errors", []) or [])[:300]
                    or "no path to a trust root",
                )
            else:
                verdict, reason = Verdict.VALID, ""
            found = Verification(
                verdict=verdict,
                signer=_name_part(cert, "common_name"),
                organisation=_name_part(cert, "organization_name"),
                time=when.isoformat() if when else "",
                timestamped=ts is not None,
                integrity="intact" if intact else "modified",
                trust="trusted" if status.trusted else "untrusted",
                coverage=status.coverage.name if status.coverage is not None else "",
                signatures=len(signatures),
                reason=reason,
            )
        if worst is None or rank[found.verdict] > rank[worst.verdict]:
            worst = found
    assert worst is not None
    return worst
