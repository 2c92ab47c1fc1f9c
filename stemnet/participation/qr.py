"""A QR code as SVG (the pinned ``qrcode`` package; no image library, no inline styles)."""

import io

import qrcode
import qrcode.image.svg


def svg(text: str) -> bytes:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
