"""One LibreOffice run that lays out DOCX files and says the page each bookmark falls on."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

TIMEOUT_SECONDS = 120  # for each document of a run
LIST_VARIABLE = "DIGLOT_LAYOUT_LIST"  # the environment variable that names the macro's list
# A new profile makes LibreOffice run its graphics self-test at start (a second of CPU), as
# after an upgrade: the profile says it was last used by a version newer than any. It also
# says the profile is complete, so that LibreOffice does not copy its presets over it (the
# macro's library among them).
PROFILE_SETTINGS = b"""<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" \
oor:op="fuse"><value>99.0</value></prop></item>
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" \
oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""
# The macro asks the layout for each bookmark's page: a quarter less CPU than exporting every
# page to PDF to read its destinations. Documents load hidden and run none of their own
# macros nor update their links. Each result file ends with "end"; a document that fails
# gets "error", a tab and the reason. Names are written as the hex digits of their UTF-16
# code units, which keeps the file ASCII whatever the system's encoding.
MACRO = f"""\
Sub Pages
  Dim list As Integer, entry As String, fields
  On Error Goto Quit
  list = FreeFile
  Open Environ("{LIST_VARIABLE}") For Input As #list
  Do While Not EOF(list)
    Line Input #list, entry
    fields = Split(entry, Chr(9))
    If UBound(fields) = 1 Then LayOut(fields(0), fields(1))
  Loop
  Close #list
Quit:
  StarDesktop.terminate()
End Sub

Sub LayOut(source As String, target As String)
  Dim options(2) As New com.sun.star.beans.PropertyValue
  Dim doc, cursor, marks, names, out As Integer, i As Integer
  options(0).Name = "Hidden" : options(0).Value = True
  options(1).Name = "MacroExecutionMode" : options(1).Value = 0
  options(2).Name = "UpdateDocMode" : options(2).Value = 0
  out = FreeFile
  Open ConvertFromURL(target) For Output As #out
  On Error Goto Failed
  doc = StarDesktop.loadComponentFromURL(source, "_blank", 0, options)
  If IsNull(doc) Then
    Print #out, "error" & Chr(9) & "it cannot be opened"
    Goto Done
  End If
  cursor = doc.getCurrentController().getViewCursor()
  marks = doc.getBookmarks()
  names = marks.getElementNames()
  For i = 0 To UBound(names)
    cursor.gotoRange(marks.getByName(names(i)).getAnchor(), False)
    Print #out, Hex16(names(i)) & Chr(9) & cursor.getPage()
  Next i
  Print #out, "end"
  Goto Done
Failed:
  Print #out, "error" & Chr(9) & Error$
  Resume Done
Done:
  On Error Resume Next
  Close #out
  doc.close(True)
End Sub

Function Hex16(text As String) As String
  Dim found As String, k As Integer
  For k = 1 To Len(text)
    found = found & Right("000" & Hex(Asc(Mid(text, k, 1))), 4)
  Next k
  Hex16 = found
End Function
"""
_LIBRARIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" \
"libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" \
xmlns:xlink="http://www.w3.org/1999/xlink">
 <library:library library:name="Standard" library:link="false"/>
</library:libraries>
"""
_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" \
library:readonly="false" library:passwordprotected="false">{}</library:library>
"""
_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Layout" \
script:language="StarBasic">{}</script:module>
"""


class LayoutUnavailable(Exception):
    """LibreOffice is missing or could not lay the document out; the message says which."""


def soffice() -> str | None:
    """LibreOffice's command, when it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def bookmark_pages(documents: Sequence[bytes]) -> list[dict[str, int] | LayoutUnavailable]:
    """The 1-based page of every bookmark of each DOCX, as LibreOffice lays it out (one run for
    all), or why a document has none."""
    if not documents:
        return []
    command = soffice()
    if command is None:
        raise LayoutUnavailable("LibreOffice (soffice) is not on PATH")
    with tempfile.TemporaryDirectory(prefix="diglot-layout-") as folder:
        work = Path(folder)
        sources = [work / f"document-{number}.docx" for number in range(len(documents))]
        results = [source.with_suffix(".pages") for source in sources]
        for source, data in zip(sources, documents, strict=True):
            source.write_bytes(data)
        listed = work / "documents.txt"
        # URLs keep the list ASCII (and tab-free) whatever the folder's name.
        listed.write_text("".join(f"{source.as_uri()}\t{result.as_uri()}\n"
                                  for source, result in zip(sources, results, strict=True)),
                          encoding="ascii")
        profile = work / "profile"
        _make_profile(profile / "user", command)
        args = [command, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                "--norestore", "macro:///Standard.Layout.Pages"]
        _run(args, work, TIMEOUT_SECONDS * len(documents), {LIST_VARIABLE: str(listed)})
        return [_read_pages(result) for result in results]


def _make_profile(user: Path, command: str) -> None:
    """A LibreOffice profile whose Basic library holds the layout macro."""
    basic = user / "basic"
    (basic / "Standard").mkdir(parents=True)
    (user / "registrymodifications.xcu").write_bytes(PROFILE_SETTINGS)
    _seed_extensions(user, command)
    for name in ("script.xlc", "dialog.xlc"):
        (basic / name).write_text(_LIBRARIES, encoding="utf-8")
    (basic / "Standard" / "script.xlb").write_text(
        _LIBRARY.format('\n <library:element library:name="Layout"/>\n'), encoding="utf-8")
    (basic / "Standard" / "dialog.xlb").write_text(_LIBRARY.format(""), encoding="utf-8")
    (basic / "Standard" / "Layout.xba").write_text(_MODULE.format(escape(MACRO)),
                                                   encoding="utf-8")


def _read_pages(result: Path) -> dict[str, int] | LayoutUnavailable:
    try:
        lines = result.read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return LayoutUnavailable("LibreOffice did not lay the document out")
    if lines[-1:] != ["end"]:
        reason = lines[-1].partition("\t")[2].strip() if lines[-1:] and \
            lines[-1].startswith("error\t") else "its layout stopped half-way"
        return LayoutUnavailable(f"LibreOffice could not lay the document out: {reason}")
    found: dict[str, int] = {}
    for line in lines[:-1]:
        name, _, page = line.partition("\t")
        try:
            found[bytes.fromhex(name).decode("utf-16-be")] = int(page)
        except (ValueError, UnicodeDecodeError):
            return LayoutUnavailable(f"LibreOffice's layout gave an unreadable line {line!r}")
    return found


def _seed_extensions(user: Path, command: str) -> None:
    """Give a new profile the build id of the LibreOffice that runs it. Without one,
    LibreOffice takes its extension cache for another version's, clears it and starts a
    second time (a quarter of a second of CPU); a build id it cannot find is left out."""
    try:
        versionrc = (Path(command).resolve().parent / "versionrc").read_text(errors="replace")
    except OSError:
        return
    found = re.search(r"^buildid=(.+?)\s*$", versionrc, re.MULTILINE)
    if found:
        (user / "extensions").mkdir()
        (user / "extensions" / "buildid").write_text(found.group(1), encoding="utf-8")


def _run(args: list[str], work: Path, timeout: int, environment: dict[str, str]) -> None:
    env = {**os.environ, **environment, "HOME": str(work)}  # LibreOffice writes into $HOME
    with subprocess.Popen(args, cwd=work, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, start_new_session=True) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # soffice.bin runs in the same group
            process.communicate()
            raise LayoutUnavailable(f"LibreOffice took more than {timeout} s") \
                from None
    if process.returncode:
        last = stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise LayoutUnavailable(f"LibreOffice failed (exit {process.returncode}): {last[0]}")
