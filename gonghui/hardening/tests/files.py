"""Hostile and mislabelled files for the upload cases: bytes that are not what
their extension says, workbooks with malicious XML, photos with a GPS position."""

import io
import zipfile
from datetime import date

from openpyxl import Workbook
from PIL import Image

from gonghui import idcard

GPS_IFD = 0x8825


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A photo carrying where it was taken (31.2304 N, 121.4737 E) and the camera."""
    image = Image.new("RGB", (16, 12), (30, 120, 200))
    exif = image.getexif()
    exif[0x010F] = "HardeningCam"  # Make
    exif[0x0131] = "SecretPhone 1.0"  # Software
    exif[GPS_IFD] = {1: "N", 2: (31.0, 13.0, 49.44), 3: "E", 4: (121.0, 28.0, 25.32)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def has_gps(content: bytes) -> bool:
    with Image.open(io.BytesIO(content)) as image:
        exif = image.getexif()
        return bool(exif.get_ifd(GPS_IFD)) or GPS_IFD in exif or 0x010F in exif


def text() -> bytes:
    return "姓名,身份证号\n张三,110105199001011234\n".encode()


def html() -> bytes:
    return b"<html><script>alert(document.cookie)</script></html>"


def windows_program() -> bytes:
    return b"MZ\x90\x00\x03" + b"\x00" * 60 + b"This program cannot be run in DOS mode."


def old_excel() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def roster() -> bytes:
    """A valid one-row roster, the base of the malicious ones."""
    wb = Workbook()
    ws = wb.active
    ws.title = "会员名册"
    ws.append(["姓名", "身份证号", "入会日期"])
    ws.append(["恶意", idcard.make("330206", date(1980, 5, 6), 7, "M"), date(2020, 1, 1)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rewrite(content: bytes, part: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = change(data.decode()).encode()
            target.writestr(item, data)
    return out.getvalue()


def _with_doctype(xml: str, doctype: str, entity_in: str) -> str:
    head, rest = xml.split("?>", 1) if xml.startswith("<?xml") else ("", xml)
    prolog = head + "?>" if head else ""
    return prolog + doctype + rest.replace("恶意", entity_in, 1)


def xxe_workbook() -> bytes:
    """External entity: would read /etc/passwd into a cell."""
    doctype = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return _rewrite(
        roster(), "xl/worksheets/sheet1.xml", lambda xml: _with_doctype(xml, doctype, "&xxe;")
    )


def billion_laughs_workbook() -> bytes:
    """Entity expansion: a few hundred bytes that expand to gigabytes."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE lolz [{entities}]>"
    return _rewrite(
        roster(), "xl/worksheets/sheet1.xml", lambda xml: _with_doctype(xml, doctype, "&lol9;")
    )


def zip_bomb_workbook() -> bytes:
    """A part that claims little and inflates enormously."""
    content = roster()
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/padding.bin", b"\x00" * (30 * 1024 * 1024))
    return out.getvalue()


def unsupported_zip_version_workbook() -> bytes:
    """A workbook whose directory claims a zip version Python cannot read
    (NotImplementedError from zipfile; the importer fuzz target found it)."""
    content = bytearray(roster())
    at = content.index(b"PK\x01\x02")
    content[at + 6 : at + 8] = (255).to_bytes(2, "little")  # version needed to extract
    return bytes(content)
