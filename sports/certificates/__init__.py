"""Award certificates as PDF (reportlab): plain data in, bytes out; see :mod:`.render`."""
from sports.certificates.render import CertificatePage, Design, OwnFont, render, write

__all__ = ["CertificatePage", "Design", "OwnFont", "render", "write"]
