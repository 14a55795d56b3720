"""PDF/UA-1 and PDF/A claims: WeasyPrint's options, and the XMP and image fixes they need."""

from __future__ import annotations

from typing import Any

import pydyf

from diglot.pdfstandard import PdfStandard

PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"

# PDF/A allows only properties its schemas define; pdfuaid:part is declared in an extension
# schema, as ISO 14289-1 (PDF/UA-1) asks of a file that is PDF/A too.
PDFUA_EXTENSION = f"""<rdf:Description rdf:about="" \
xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{PDFUA_NS}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="{PDFUA_NS}" pdfuaid:part="1"/>
""".encode()


def weasyprint_options(standard: PdfStandard) -> dict[str, Any]:
    """The `write_pdf` options for a claim: WeasyPrint's variant (the PDF/A part when there
    is one, since a variant is a single value) and tags whenever a standard needs them."""
    if standard.pdfa:
        variant = f"pdf/{standard.pdfa}"
    elif standard.ua:
        variant = "pdf/ua-1"
    else:
        return {"pdf_variant": None, "pdf_tags": False}
    return {"pdf_variant": variant, "pdf_tags": standard.tagged}


def finish_metadata(pdf: pydyf.PDF, standard: PdfStandard) -> None:
    """Write the XMP uncompressed (PDF/A forbids a filter on it) and, for PDF/A plus PDF/UA,
    add the PDF/UA identification WeasyPrint writes only for its own PDF/UA variant."""
    if not standard.claims:
        return
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return
    stream = pdf.objects[int(reference.split()[0])]
    stream.compress = False
    if standard.pdfa and standard.ua:
        content = b"".join(bytes(part) for part in stream.stream)
        end = content.rindex(b"</rdf:RDF>")
        stream.stream = [content[:end] + PDFUA_EXTENSION + content[end:]]


def no_interpolation(pdf: pydyf.PDF) -> int:
    """PDF/A forbids image interpolation; WeasyPrint asks for it unless CSS says
    `image-rendering: crisp-edges`. Returns how many images were changed."""
    changed = 0
    for item in pdf.objects:
        if not isinstance(item, pydyf.Stream) or item.extra.get("Subtype") != "/Image":
            continue
        for image in (item, item.extra.get("SMask")):
            if isinstance(image, pydyf.Stream) and image.extra.get("Interpolate") == "true":
                image.extra["Interpolate"] = "false"
                changed += 1
    return changed
