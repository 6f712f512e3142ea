# Sourced by the scripts: finds the Swift toolchain when it is installed but not on PATH.
if ! command -v swift >/dev/null 2>&1; then
  for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$candidate/swift" ] && export PATH="$PATH:$candidate" && break
  done
fi
command -v swift >/dev/null 2>&1 || { echo "Swift 6.1 or later is required (https://swift.org/install)" >&2; exit 1; }
