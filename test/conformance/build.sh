#!/usr/bin/env bash
# Build the KubeRay conformance checker (kuberay-check), one binary per KubeRay
# version, against KubeRay's own validation code fetched from the Go module
# proxy (github.com/ray-project/kuberay/ray-operator@vX.Y.Z).
#
#   test/conformance/build.sh [version...]      # default: all supported versions
#
# Output: ${RAYJOB_CONFORMANCE_CACHE:-~/.cache/rayjob-action-conformance}/<version>/kuberay-check
# A version is skipped when its binary exists and its .stamp matches
# (version + family + sha256 of the checker sources and this script + go version).
# Each version is built in a throwaway module under a temp dir (removed afterwards).
#
# Env:
#   RAYJOB_CONFORMANCE_CACHE  cache root (default ~/.cache/rayjob-action-conformance)
#   FORCE=1                   rebuild even if cached
#   STRICT=1                  exit non-zero also when a version is not available
#                             on the module proxy (default: reported, not fatal)
#   KEEP_TMP=1                keep the throwaway module dirs (path is printed)
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/checker"
CACHE="${RAYJOB_CONFORMANCE_CACHE:-$HOME/.cache/rayjob-action-conformance}"
ALL_VERSIONS=(1.7.0 1.6.2 1.5.2 1.4.2 1.3.2 1.2.2 1.1.1)
MODULE=github.com/ray-project/kuberay/ray-operator

export GOFLAGS="${GOFLAGS:-} -modcacherw"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
# ray-operator/v1.5.2 is served by the proxy but the checksum database has no
# record of it (404), so checksum-db verification is skipped for KubeRay only.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/ray-project/kuberay"

command -v go >/dev/null || { echo "build.sh: go not found on PATH" >&2; exit 2; }

if [ $# -gt 0 ]; then VERSIONS=("$@"); else VERSIONS=("${ALL_VERSIONS[@]}"); fi

family_of() {
  case "$1" in
    1.0.*) echo "" ;;                  # not supported (no validator worth calling; API differs)
    1.1.*|1.2.*) echo kr_legacy ;;     # unexported controllers/ray.validateRayJobSpec via go:linkname
    1.3.*) echo kr_v13 ;;              # utils.ValidateRayJobSpec(rayJob) only
    *) echo kr_v14plus ;;              # utils.ValidateRayJobMetadata + utils.ValidateRayJobSpec
  esac
}

src_hash() {
  ( cd "$HERE" && cat checker/*.go checker/*.s build.sh; go version ) | sha256sum | cut -c1-16
}
HASH="$(src_hash)"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

built=(); cached=(); unavailable=(); failed=()
for v in "${VERSIONS[@]}"; do
  v="${v#v}"
  fam="$(family_of "$v")"
  if [ -z "$fam" ]; then
    echo "== $v: unsupported version (no callable RayJob validator)"; failed+=("$v"); continue
  fi
  out_dir="$CACHE/$v"
  bin="$out_dir/kuberay-check"
  key="$v $fam $HASH"
  if [ -z "${FORCE:-}" ] && [ -x "$bin" ] && [ "$(cat "$out_dir/.stamp" 2>/dev/null)" = "$key" ]; then
    echo "== $v: cached ($bin)"; cached+=("$v"); continue
  fi
  echo "== $v: building ($fam)"
  t0="$(now)"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/kuberay-check-$v.XXXXXX")"
  log="$tmp/build.log"
  (
    set -e
    cp "$SRC"/*.go "$SRC"/*.s "$tmp"/
    cd "$tmp"
    go mod init kuberay-check >/dev/null 2>&1
    go get "$MODULE@v$v"
    dir="$(go list -m -f '{{.Dir}}' "$MODULE")"
    # The version's own CRD, shipped inside the Go module.
    cp "$dir/config/crd/bases/ray.io_rayjobs.yaml" crd.yaml
    chmod u+w crd.yaml
    go mod tidy
    mkdir -p "$out_dir"
    go build -trimpath -tags "$fam" -ldflags "-s -w -X main.kuberayVersion=$v" -o "$bin.tmp" .
    mv -f "$bin.tmp" "$bin"
    printf '%s\n' "$key" > "$out_dir/.stamp"
  ) >"$log" 2>&1
  rc=$?
  t1="$(now)"
  if [ $rc -eq 0 ]; then
    echo "   built in $(elapsed "$t0" "$t1")s -> $bin"
    built+=("$v")
  elif grep -q 'This module version is not available\|unknown revision\|invalid version' "$log"; then
    echo "   UNAVAILABLE on the Go module proxy after $(elapsed "$t0" "$t1")s:"
    grep -m3 'not available\|unknown revision\|invalid version' "$log" | sed 's/^/     /'
    unavailable+=("$v")
  else
    echo "   FAILED after $(elapsed "$t0" "$t1")s (log: $log):"
    tail -n 25 "$log" | sed 's/^/     /'
    failed+=("$v"); KEEP_TMP=1
  fi
  if [ -n "${KEEP_TMP:-}" ]; then echo "   module dir kept: $tmp"; else rm -rf "$tmp"; fi
done

echo "built: ${built[*]:-none}; cached: ${cached[*]:-none}; unavailable: ${unavailable[*]:-none}; failed: ${failed[*]:-none}"
if [ ${#failed[@]} -gt 0 ]; then exit 1; fi
if [ -n "${STRICT:-}" ] && [ ${#unavailable[@]} -gt 0 ]; then exit 1; fi
exit 0
