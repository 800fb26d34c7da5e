# shellcheck shell=bash
# Where a KubeRay ray-operator module's source comes from, for the builds that need it
# (test/conformance/build.sh, test/stack/build.sh). Sourced, not executed.
#
# The Go module proxy comes first. Only when it refuses a version
# (kuberay_proxy_refused) and this folder has a copy of that version
# (ray-operator-v<version>.tar.gz, listed in SHA256SUMS) is the copy used: its sha256 is checked
# against SHA256SUMS before it is extracted (kuberay_extract), and the build then points the
# module path at the extracted folder with a `replace` directive, or builds inside it.
# See README.md here for where each copy comes from.

KUBERAY_THIRD_PARTY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KUBERAY_MODULE=github.com/ray-project/kuberay/ray-operator

# kuberay_copy VERSION: print the path of the in-repository copy of ray-operator vVERSION; false if none.
kuberay_copy() {
  local f="$KUBERAY_THIRD_PARTY_DIR/ray-operator-v${1#v}.tar.gz"
  [ -f "$f" ] && printf '%s\n' "$f"
}

# kuberay_copy_sha256 VERSION: the sha256 SHA256SUMS expects for that copy (empty if not listed).
kuberay_copy_sha256() {
  awk -v n="ray-operator-v${1#v}.tar.gz" '$2 == n || $2 == "*" n { print $1; exit }' \
    "$KUBERAY_THIRD_PARTY_DIR/SHA256SUMS" 2>/dev/null
}

# kuberay_proxy_refused LOGFILE VERSION: the output of a go command in LOGFILE says the module
# proxy (or the origin, with GOPROXY=direct) refused ray-operator@vVERSION itself: 403/404/410 or
# "not available", "unknown revision", "invalid version". A network failure is not a refusal.
kuberay_proxy_refused() {
  grep -Eq "$KUBERAY_MODULE@v${2#v}: .*(403 Forbidden|404 Not Found|410 Gone|not available|unknown revision|invalid version)" "$1"
}

# kuberay_extract VERSION DEST: check the copy's sha256 against SHA256SUMS, then extract it into
# DEST (giving DEST/ray-operator). Prints one line saying what was used; on any problem prints why
# to stderr and returns 1 (nothing is extracted from a copy whose sha256 differs).
kuberay_extract() {
  local v=${1#v} dest=$2 src want got
  src=$(kuberay_copy "$v") || { echo "no copy of ray-operator v$v in $KUBERAY_THIRD_PARTY_DIR" >&2; return 1; }
  want=$(kuberay_copy_sha256 "$v")
  [ -n "$want" ] || { echo "$src is not listed in $KUBERAY_THIRD_PARTY_DIR/SHA256SUMS: refusing to use it" >&2; return 1; }
  mkdir -p "$dest" || return 1
  # hash and extract the same bytes: copy first, then check the copy
  cp "$src" "$dest/.src.tar.gz" || return 1
  got=$(sha256sum "$dest/.src.tar.gz" | cut -d' ' -f1)
  if [ "$got" != "$want" ]; then
    rm -f "$dest/.src.tar.gz"
    echo "$src: sha256 $got, but SHA256SUMS says $want: refusing to use it" >&2
    return 1
  fi
  tar -xzf "$dest/.src.tar.gz" -C "$dest" --no-same-owner || { echo "tar -xzf $src failed" >&2; return 1; }
  rm -f "$dest/.src.tar.gz"
  if ! grep -qx "module $KUBERAY_MODULE" "$dest/ray-operator/go.mod" 2>/dev/null; then
    echo "$src does not hold $KUBERAY_MODULE in ray-operator/" >&2
    return 1
  fi
  chmod -R u+w "$dest/ray-operator"
  echo "third_party/kuberay/$(basename "$src") (sha256 $got, verified)"
}
