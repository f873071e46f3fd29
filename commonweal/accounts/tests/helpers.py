from __future__ import annotations

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_code(device: TOTPDevice) -> str:
    """The code an authenticator app holding the device's key shows now."""
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return str(code).zfill(device.digits)


def wrong_code(device: TOTPDevice) -> str:
    """A 6-digit code that is not the one the device shows now (nor one step either side)."""
    right = {
        int(totp(device.bin_key, step=device.step, t0=device.t0 + shift * device.step))
        for shift in (-1, 0, 1)
    }
    candidate = 0
    while candidate in right:
        candidate += 1
    return str(candidate).zfill(6)
