#!/bin/sh
# The man page documents exactly the options of --help, and its SYNOPSIS
# names the same options as the Synopsis lines of --help.
. "$top_srcdir/test/lib.sh"
man=$top_srcdir/man/sipflow.8
"$SIPFLOW" --help > "$T/help" || fail "--help failed"

sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}--\([a-z0-9-]*\).*/\2/p' "$T/help" | sort -u > "$T/help.opts"
grep -o 'Fl -[a-z0-9-]*' "$man" | sed 's/Fl -//' | grep -v '^$' | sort -u > "$T/man.opts"
diff "$T/help.opts" "$T/man.opts" > "$T/diff" || { cat "$T/diff"; fail "options differ between --help (<) and sipflow.8 (>)"; }
[ "$(wc -l < "$T/help.opts")" -gt 30 ] || fail "too few options found in --help"

# SYNOPSIS: the options each names, in order
sed -n '/^Synopsis:/,/^$/p' "$T/help" | grep -o -- '-\{1,2\}[a-zA-Z][a-z-]*' | sed 's/^-*//' > "$T/help.syn"
sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$man" | grep -o 'Fl -\{0,1\}[a-zA-Z][a-z-]*' | sed 's/Fl -*//' > "$T/man.syn"
diff "$T/help.syn" "$T/man.syn" > "$T/diff" || { cat "$T/diff"; fail "SYNOPSIS differs from --help's Synopsis"; }

# the sections issue "Probe core" asks for
for sec in SYNOPSIS DESCRIPTION SIGNALS FILES "EXIT STATUS" EXAMPLES; do
  grep -q "^\.Sh $sec\$" "$man" || fail "sipflow.8 has no $sec section"
done
# every exit status --help names is described under EXIT STATUS
sed -n '/^Exit status:/,$p' "$T/help" | sed 's/^Exit status://' | grep -o '[0-9] [a-z]' | cut -c1 | sort -u > "$T/help.st"
sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$man" | sed -n 's/^\.It \([0-9]\)$/\1/p' | sort -u > "$T/man.st"
[ -s "$T/help.st" ] || fail "no exit statuses found in --help"
diff "$T/help.st" "$T/man.st" > "$T/diff" || { cat "$T/diff"; fail "exit statuses differ between --help (<) and sipflow.8 (>)"; }

if command -v mandoc >/dev/null 2>&1; then
  mandoc -T lint -W warning "$man" > "$T/lint" 2>&1 || { cat "$T/lint"; fail "mandoc -T lint found problems"; }
fi
echo "man page: $(wc -l < "$T/help.opts") options, synopsis of $(wc -l < "$T/help.syn") options agree"
