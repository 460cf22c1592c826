#!/usr/bin/env bash
# Runs a command as on a fresh machine with only Node and npm: what .ci/run installs from Debian
# (`age`, `age-keygen`, `chromium`, `sqlite3`) is absent from /usr/bin, the libraries Chromium
# needs beyond glibc (libnss3, libnspr4, libexpat) are unreadable, and there are no system fonts.
# Needs root (a private mount namespace; the machine itself is unchanged). Example:
#   scripts/as-fresh-machine.sh npx vitest run test/format test/inspect test/support test/audit/cli-audit.test.ts
set -euo pipefail
if [ "${1:-}" != "--inside" ]; then
  exec unshare --mount --propagation private "$0" --inside "$@"
fi
shift
real=$(mktemp -d) fake=$(mktemp -d) empty=$(mktemp) emptydir=$(mktemp -d)
# /usr/bin without age, age-keygen, chromium and sqlite3: links into the real one, mounted elsewhere.
mount --bind /usr/bin "$real"
for f in /usr/bin/*; do
  name=$(basename "$f")
  case "$name" in
    age | age-keygen | chromium | sqlite3) ;;
    *) if [ -L "$f" ]; then ln -s "$(readlink -f "$f")" "$fake/$name"; else ln -s "$real/$name" "$fake/$name"; fi ;;
  esac
done
mount --bind "$fake" /usr/bin
# Chromium's own binary and the shared libraries a bare Debian lacks: unreadable (empty).
for f in /usr/lib/chromium/chromium /lib/x86_64-linux-gnu/libnss3.so /lib/x86_64-linux-gnu/libnssutil3.so \
  /lib/x86_64-linux-gnu/libnspr4.so /lib/x86_64-linux-gnu/libplc4.so /lib/x86_64-linux-gnu/libplds4.so \
  /lib/x86_64-linux-gnu/libexpat.so.1; do
  if [ -e "$f" ]; then mount --bind "$empty" "$(readlink -f "$f")"; fi
done
# No system fonts either (a bare machine has none; Chromium's package pulls some in).
for d in /usr/share/fonts /etc/fonts; do
  if [ -d "$d" ]; then mount --bind "$emptydir" "$d"; fi
done
echo "as-fresh-machine: age=$(command -v age || echo absent) chromium=$( [ -e /usr/bin/chromium ] && echo present || echo absent) sqlite3=$(command -v sqlite3 || echo absent)" >&2
"$@"
