"""The signatures the product makes hold for pyHanko's validator AND for poppler's pdfsig; one byte changed
after signing is reported by both; an unknown CA is "valid, not trusted"; `phoihop documents verify` says
the same as JSON and exits non-zero on a broken signature."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest
from django.core.management import call_command

from phoihop.documents.choices import Verdict
from phoihop.documents.signing.pades import verify_pdf

from .helpers import signed

pytestmark = [pytest.mark.django_db]

needs_pdfsig = pytest.mark.skipif(
    shutil.which("pdfsig") is None, reason="poppler-utils (pdfsig) is installed by ./run test"
)


def _pdfsig(path) -> str:
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def _tamper(pdf: bytes) -> bytes:
    """One byte of the page content changed (inside the signed byte range, outside the signature itself)."""
    at = pdf.index(b"stream") + 40
    changed = bytearray(pdf)
    changed[at] ^= 0x01
    return bytes(changed)


@pytest.fixture
def signed_pdf(people, demo_keys):
    return bytes(signed(people["dic_focal"], people["dic_head"]).pdf)


def test_pyhanko_validates_the_signature(signed_pdf):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from phoihop.documents.signing.pades import trust_roots

    reader = PdfFileReader(io.BytesIO(signed_pdf))
    (sig,) = reader.embedded_signatures
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=trust_roots(), allow_fetching=False))
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert "Sở Thông tin và Truyền thông" in status.signing_cert.subject.human_friendly
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    result = verify_pdf(signed_pdf)
    assert result.verdict == Verdict.VALID and result.integrity == "intact" and result.trust == "trusted"


@needs_pdfsig
def test_pdfsig_validates_the_signature(signed_pdf, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_pdf)
    out = _pdfsig(path)
    assert "Signature is Valid." in out, out
    assert "ETSI.CAdES.detached" in out and "Total document signed" in out


@needs_pdfsig
def test_one_byte_changed_is_reported_by_both(signed_pdf, tmp_path):
    tampered = _tamper(signed_pdf)
    assert tampered != signed_pdf and len(tampered) == len(signed_pdf)
    result = verify_pdf(tampered)
    assert result.verdict == Verdict.MODIFIED and result.integrity == "modified"
    path = tmp_path / "tampered.pdf"
    path.write_bytes(tampered)
    out = _pdfsig(path)
    assert "Signature is Valid." not in out
    assert "Digest Mismatch" in out or "Signature is Invalid" in out, out


def test_a_signer_outside_the_trust_roots_is_valid_but_not_trusted(signed_pdf, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "another-install"  # no DEMO CA there: nothing trusts the signer
    settings.VAR_DIR.mkdir()
    result = verify_pdf(signed_pdf)
    assert result.verdict == Verdict.UNTRUSTED and result.integrity == "intact" and result.trust == "untrusted"


def test_a_configured_trust_root_is_trusted(signed_pdf, settings, tmp_path, demo_keys):
    from phoihop.documents.signing import demo

    roots = tmp_path / "roots"
    roots.mkdir()
    (roots / "ca.pem").write_bytes(demo.ca_cert_path().read_bytes())
    settings.VAR_DIR = tmp_path / "another-install"
    settings.VAR_DIR.mkdir()
    settings.PHOIHOP_TRUST_ROOTS = str(roots)
    assert verify_pdf(signed_pdf).verdict == Verdict.VALID


def test_an_unsigned_pdf_is_unsigned(people):
    from phoihop.documents.render.pdf import render_pdf
    from phoihop.documents.render.sheet import Sheet

    pdf = render_pdf(Sheet("", "CÔNG TY", "", "", "", "Thử", "Nội dung")).pdf
    assert verify_pdf(pdf).verdict == Verdict.UNSIGNED


def test_the_verify_command_prints_json_and_exits_non_zero_on_a_broken_signature(signed_pdf, tmp_path, capsys):
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(signed_pdf)
    bad.write_bytes(_tamper(signed_pdf))
    call_command("documents", "verify", str(good))
    report = json.loads(capsys.readouterr().out)
    assert report["verdict"] == "valid" and report["integrity"] == "intact" and report["trust"] == "trusted"
    assert report["signer"].startswith("DEMO - Sở Thông tin") and report["time"]
    with pytest.raises(SystemExit) as exited:
        call_command("documents", "verify", str(bad))
    assert exited.value.code == 3
    assert json.loads(capsys.readouterr().out)["verdict"] == "modified"


def test_the_demo_makes_a_key_for_every_organisation_whatever_the_length_of_its_name(var_dir):
    from phoihop.directory.models import Organisation
    from phoihop.documents.signing import demo
    from phoihop.documents.signing.keys import key_source

    orgs = list(Organisation.objects.all())
    assert max(len(o.name_vi.encode()) for o in orgs) > 64  # X.520 bounds a name at 64 bytes: cut, never refused
    assert demo.keys_ensure(orgs) == len(orgs)
    assert demo.keys_ensure(orgs) == 0  # once
    assert all(key_source(o).kind == "demo" for o in orgs)
    assert oct(demo.ca_cert_path().stat().st_mode & 0o777) == "0o600"
