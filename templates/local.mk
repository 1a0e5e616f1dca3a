# templates/: the element table and template strings (compiled in, and
# installed for reference)
templatesdir = $(pkgdatadir)/templates
dist_templates_DATA = templates/elements.def templates/templates.def
