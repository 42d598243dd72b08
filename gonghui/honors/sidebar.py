"""This area's section of the back-office sidebar (gonghui.unfold_config).

Items are made with gonghui.unfold_config's `area_item(title, icon, url_name,
perm_code)`: shown to users holding `perm_code` in some union.
"""

SECTION = {"title": "评先评优", "items": []}
