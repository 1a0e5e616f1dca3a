#!/bin/sh
# The packagers' flow: `make install DESTDIR=...` from the out-of-tree
# build puts the programs, the manual pages and the template files in place,
# and the installed sipflow runs.
. "$top_srcdir/test/lib.sh"
need make
make -s -C "$top_builddir" install DESTDIR="$T/inst" > "$T/log" 2>&1 || { tail -20 "$T/log"; fail "make install failed"; }
prefix=$(sed -n 's/^prefix = //p' "$top_builddir/Makefile")
root=$T/inst$prefix
for f in sbin/sipflow bin/sipflow-check share/man/man8/sipflow.8 share/man/man1/sipflow-check.1 \
         share/sipflow/templates/elements.def share/sipflow/templates/templates.def; do
  [ -f "$root/$f" ] || fail "make install did not install $f under $prefix"
done
"$root/sbin/sipflow" --version | grep -q "^sipflow " || fail "the installed sipflow does not run"
"$root/sbin/sipflow" --list-fields | grep -q "^%SIP_CALL_STATE" || fail "the installed sipflow lists no SIP fields"
echo "install: programs, manual pages and templates installed under DESTDIR$prefix"
