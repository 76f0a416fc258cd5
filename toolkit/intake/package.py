"""The parts of a returned form's package (.docx is a zip of XML parts), read safely.

A part is inflated in small chunks up to a cap on the bytes actually inflated, never
trusting the sizes the zip directory states (a directory that understates a part is a
zip bomb: read whole, one part took 2.3 GB). A part is parsed without resolving
entities, without the network and without huge-tree mode, and a part that declares a
DOCTYPE (entities, in any part) is refused: Word never writes one, and a reader that
skips an entity shows other text than the file's author meant (a name cut at the
entity). Every refusal is :class:`UnreadableForm` saying why.
"""

from __future__ import annotations

import posixpath
import zipfile

from lxml import etree

#: bytes inflated at a time while a part is read
CHUNK = 64 * 1024
#: the most bytes inflated from all the parts of one form together
MAX_PACKAGE_BYTES = 96 * 1024 * 1024
_OFFICE_DOCUMENT = "/officeDocument"
_STYLES = "/styles"


class UnreadableForm(Exception):
    """The file is no .docx that can be read; the message says why."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                           load_dtd=False)


def parse_xml(data: bytes, name: str):
    """The root of an XML part; a part with a DOCTYPE is refused."""
    root = etree.fromstring(data, parser=_parser())
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnreadableForm(f"its part {name} declares a DOCTYPE (entities), which no Word document has")
    return root


class Package:
    """An open .docx package: its parts by name, inflated with a cap per part and for
    the whole package."""

    def __init__(self, z: zipfile.ZipFile):
        self.z = z
        self.inflated = 0

    def read(self, name: str, cap: int) -> bytes:
        """The bytes of a part, at most ``cap`` of them (KeyError: no such part)."""
        info = self.z.getinfo(name)
        if info.file_size > cap:
            raise UnreadableForm(f"its part {name} is {info.file_size} bytes, more than a form holds")
        chunks, size = [], 0
        with self.z.open(info) as f:
            while chunk := f.read(CHUNK):
                size += len(chunk)
                self.inflated += len(chunk)
                if size > cap:
                    raise UnreadableForm(f"its part {name} inflates to more than {cap} bytes, "
                                         "more than a form holds")
                if self.inflated > MAX_PACKAGE_BYTES:
                    raise UnreadableForm(f"its parts inflate to more than {MAX_PACKAGE_BYTES} bytes, "
                                         "more than a form holds")
                chunks.append(chunk)
        return b"".join(chunks)

    def xml(self, name: str, cap: int):
        return parse_xml(self.read(name, cap), name)

    def related(self, source: str, kind: str, cap: int) -> str | None:
        """The part a relationship of type ``…/kind`` of the part ``source`` points to
        (``""`` for the package), or None."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        try:
            root = self.xml(rels, cap)
        except (KeyError, etree.XMLSyntaxError):
            return None
        for rel in root:
            if str(rel.get("Type", "")).endswith(kind) and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                return posixpath.normpath(path)
        return None

    def main_part(self, cap: int) -> str:
        """The main document part's name (from the package relationships)."""
        return self.related("", _OFFICE_DOCUMENT, cap) or "word/document.xml"

    def styles_part(self, document: str, cap: int) -> str | None:
        return self.related(document, _STYLES, cap)
