"""gonghui: the working system of a grassroots trade union."""

import os as _os

# python-docx brings lxml, and openpyxl switches to lxml when it is present:
# its lxml parser skips entity declarations silently, where the defusedxml one
# refuses them, and a refusal is what lets an import say why a file is unsafe.
# Keep openpyxl on defusedxml; this runs before anything imports openpyxl.
_os.environ.setdefault("OPENPYXL_LXML", "False")
