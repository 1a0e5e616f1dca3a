#!/bin/sh
# check_man.sh: sipflow-check(1) documents exactly the options of --help,
# its SYNOPSIS names only real options, and mandoc finds nothing to lint.
. "$top_srcdir/test/lib.sh"
man=$top_srcdir/man/sipflow-check.1
bin=$top_builddir/bin/sipflow-check
"$bin" --help >"$T/help" || fail "--help failed"
sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}--\([a-z0-9-]*\).*/\2/p' "$T/help" | grep -v '^help$' | sort -u >"$T/help.opts"
sed -n '/^\.Sh OPTIONS/,/^\.Sh EXIT/p' "$man" | grep '^\.It Fl' | grep -o 'Fl -[a-z0-9-]*' | sed 's/Fl -//' |
  sort -u >"$T/man.opts"
diff "$T/help.opts" "$T/man.opts" >"$T/diff" || { cat "$T/diff"; fail "options differ between --help (<) and sipflow-check.1 (>)"; }
[ "$(wc -l <"$T/help.opts")" -gt 20 ] || fail "too few options found in --help"
sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$man" | grep -o 'Fl -\{0,1\}[a-zA-Z][a-z-]*' | sed 's/Fl -*//' |
  while read -r o; do
    grep -q -- "-$o[ =,]" "$T/help" || fail "SYNOPSIS names -$o, which --help does not know"
  done || exit 1
if command -v mandoc >/dev/null 2>&1; then
  mandoc -T lint -W warning "$man" >"$T/lint" 2>&1 || { cat "$T/lint"; fail "mandoc -T lint found problems"; }
fi
echo "sipflow-check(1): $(wc -l <"$T/help.opts") options agree with --help"
