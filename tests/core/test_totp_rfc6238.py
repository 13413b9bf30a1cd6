"""TOTP codes match RFC 6238's published test vectors (Appendix B) and RFC 4226's HOTP."""

from __future__ import annotations

import datetime as dt

import pytest

from kehu.core import totp

SHA1_KEY = b"12345678901234567890"
SHA256_KEY = b"12345678901234567890123456789012"
SHA512_KEY = b"1234567890123456789012345678901234567890123456789012345678901234"

VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("seconds", "sha1", "sha256", "sha512"), VECTORS)
def test_rfc6238_vectors(seconds, sha1, sha256, sha512):
    at = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    assert totp.totp(SHA1_KEY, at, digits=8) == sha1
    assert totp.totp(SHA256_KEY, at, digits=8, digest="sha256") == sha256
    assert totp.totp(SHA512_KEY, at, digits=8, digest="sha512") == sha512


def test_rfc4226_hotp_vectors():
    expected = ["755224", "287082", "359152", "969429", "338314"]
    assert [totp.hotp(SHA1_KEY, c) for c in range(5)] == expected


def test_base32_secret_round_trip_and_uri():
    secret = totp.new_secret()
    assert len(totp.secret_bytes(secret)) == totp.SECRET_BYTES
    uri = totp.provisioning_uri(secret, account="mia", issuer="Kehu")
    assert uri.startswith("otpauth://totp/Kehu%3Amia?")
    assert f"secret={secret}" in uri
    assert "issuer=Kehu" in uri


def test_code_outside_drift_window_or_replayed_is_refused():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of SHA1_KEY
    at = dt.datetime.fromtimestamp(1111111111, tz=dt.UTC)
    code = totp.totp(SHA1_KEY, at)
    step = totp.time_step(at)
    assert totp.matching_step(secret, code, now=at) == step
    assert totp.matching_step(secret, code, now=at + dt.timedelta(seconds=30)) == step
    assert totp.matching_step(secret, code, now=at + dt.timedelta(seconds=90)) is None
    assert totp.matching_step(secret, code, now=at, after_step=step) is None
    assert totp.matching_step(secret, "12345a", now=at) is None
