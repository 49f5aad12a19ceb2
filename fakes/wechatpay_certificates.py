"""The fake WeChat Pay platform certificate, and the `/v3/certificates` answer that hands it out encrypted.

Merchants in platform-certificate mode (the mode before the WeChat Pay public key, still used by older merchant
numbers) download the certificate with `GET /v3/certificates`: each entry's PEM is AEAD_AES_256_GCM-encrypted
under the APIv3 key with associated data "certificate", and responses are then signed with the certificate's key,
`Wechatpay-Serial` naming the certificate's serial number in hex.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from fakes.keys import new_rsa_key, nonce

CST = ZoneInfo("Asia/Shanghai")
# WeChat's platform certificates are valid for five years.
VALIDITY = timedelta(days=5 * 365)


@dataclass(frozen=True)
class PlatformCertificate:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @property
    def serial_no(self) -> str:
        """As WeChat writes it in `Wechatpay-Serial` and `serial_no`: upper-case hex."""
        return format(self.certificate.serial_number, "X")

    @property
    def pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()


def new_platform_certificate(mchid: str, now: datetime) -> PlatformCertificate:
    key = new_rsa_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tenpay.com"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Tenpay.com CA Center"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Tenpay.com Root CA {mchid}"),
        ]
    )
    start = now.astimezone(UTC) - timedelta(days=1)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + VALIDITY)
        .sign(key, hashes.SHA256())
    )
    return PlatformCertificate(key, certificate)


def certificates_answer(certificates: list[PlatformCertificate], apiv3_key: str) -> dict[str, Any]:
    """The body of `GET /v3/certificates`."""
    data = []
    for cert in certificates:
        aes_nonce = nonce(12)
        ciphertext = AESGCM(apiv3_key.encode()).encrypt(aes_nonce.encode(), cert.pem.encode(), b"certificate")
        data.append(
            {
                "serial_no": cert.serial_no,
                "effective_time": cert.certificate.not_valid_before_utc.astimezone(CST).isoformat(),
                "expire_time": cert.certificate.not_valid_after_utc.astimezone(CST).isoformat(),
                "encrypt_certificate": {
                    "algorithm": "AEAD_AES_256_GCM",
                    "nonce": aes_nonce,
                    "associated_data": "certificate",
                    "ciphertext": base64.b64encode(ciphertext).decode(),
                },
            }
        )
    return {"data": data}
