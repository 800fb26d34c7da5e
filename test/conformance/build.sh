#!/usr/bin/env bash
# Build the KubeRay conformance checker (kuberay-check), one binary per KubeRay
# version, against KubeRay's own validation code: the module
# github.com/ray-project/kuberay/ray-operator@vX.Y.Z from the Go module proxy, or, only when
# the proxy refuses that version, the copy in third_party/kuberay (sha256-checked; see
# third_party/kuberay/README.md), wired in with a `replace` directive.
#
#   test/conformance/build.sh [version...]      # default: all supported versions
#
# Output: ${RAYJOB_CONFORMANCE_CACHE:-~/.cache/rayjob-action-conformance}/<version>/kuberay-check
# A version is skipped when its binary exists and its .stamp matches
# (version + family + sha256 of the checker sources, the build RECIPE and the go version, and
# for a version with a third_party copy that copy's sha256).
# Each version is built in a throwaway module under a temp dir (removed afterwards).
# <version>/status says what happened, for the conformance test to report:
#   "ok", "unavailable: <why>" or "failed: <why>" (one line);
# <version>/origin says where KubeRay's source came from (module proxy or third_party copy);
# <version>/build.log is the log of the last build that did not succeed.
# Exit status: 0 only when every version asked for has a checker; 1 when any could not be built
# (refused by the proxy with no copy to fall back on, or a build error).
#
# Env:
#   RAYJOB_CONFORMANCE_CACHE  cache root (default ~/.cache/rayjob-action-conformance)
#   FORCE=1                   rebuild even if cached
#   KEEP_TMP=1                keep the throwaway module dirs (path is printed)
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/checker"
CACHE="${RAYJOB_CONFORMANCE_CACHE:-$HOME/.cache/rayjob-action-conformance}"
ALL_VERSIONS=(1.7.0 1.6.2 1.5.2 1.4.2 1.3.2 1.2.2 1.1.1)
# shellcheck source=../../third_party/kuberay/source.sh
source "$HERE/../../third_party/kuberay/source.sh"
MODULE=$KUBERAY_MODULE

export GOFLAGS="${GOFLAGS:-} -modcacherw"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
# ray-operator/v1.5.2 is served by the proxy but the checksum database has no
# record of it (404), so checksum-db verification is skipped for KubeRay only.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/ray-project/kuberay"

if [ $# -gt 0 ]; then VERSIONS=("$@"); else VERSIONS=("${ALL_VERSIONS[@]}"); fi

record() { mkdir -p "$CACHE/$1" && printf '%s\n' "$2" > "$CACHE/$1/status"; }
# keep_log VERSION LOG: keep the log of a build that did not succeed where the test can read it
keep_log() { mkdir -p "$CACHE/$1" && cp -f "$2" "$CACHE/$1/build.log" 2>/dev/null; }

if ! command -v go >/dev/null; then
  echo "build.sh: go not found on PATH" >&2
  for v in "${VERSIONS[@]}"; do record "${v#v}" "failed: go is not installed (needed to build KubeRay's validator)"; done
  exit 2
fi

family_of() {
  case "$1" in
    1.0.*) echo "" ;;                  # not supported (no validator worth calling; API differs)
    1.1.*|1.2.*) echo kr_legacy ;;     # unexported controllers/ray.validateRayJobSpec via go:linkname
    1.3.*) echo kr_v13 ;;              # utils.Validate{RayJob,RayCluster,RayService}Spec(obj)
    1.4.*|1.5.*) echo kr_v14 ;;        # utils.Validate*Metadata + utils.Validate*Spec; no RayCronJob
    *) echo kr_v16plus ;;              # + ValidateRayClusterUpgradeOptions, ValidateRayCronJobSpec
  esac
}

# Bump when the way a checker is built changes (flags, module setup, CRD copy); edits elsewhere
# in this script do not invalidate the cached binaries.
RECIPE=4

src_hash() {
  ( cd "$HERE" && cat checker/*.go checker/*.s; echo "recipe $RECIPE"; go version ) | sha256sum | cut -c1-16
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
  # a version with a copy in third_party/kuberay: a different copy is a different build
  if kuberay_copy "$v" >/dev/null; then key="$key copy:$(kuberay_copy_sha256 "$v" | cut -c1-16)"; fi
  if [ -z "${FORCE:-}" ] && [ -x "$bin" ] && [ "$(cat "$out_dir/.stamp" 2>/dev/null)" = "$key" ]; then
    echo "== $v: cached ($bin; KubeRay from $(cat "$out_dir/origin" 2>/dev/null || echo 'the Go module proxy'))"
    cached+=("$v"); record "$v" ok; continue
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
    # The Go module proxy first; only a version it refuses comes from third_party/kuberay.
    if go get "$MODULE@v$v" >get.log 2>&1; then
      cat get.log
      echo "the Go module proxy ($MODULE@v$v)" > origin
    else
      cat get.log
      if ! kuberay_proxy_refused get.log "$v"; then
        echo "go get $MODULE@v$v failed (not a refusal of the version; no fallback)"; exit 1
      fi
      if ! kuberay_copy "$v" >/dev/null; then
        echo "REFUSED: the Go module proxy refused $MODULE@v$v and third_party/kuberay has no copy of it"; exit 3
      fi
      echo "the Go module proxy refused $MODULE@v$v: using the copy in third_party/kuberay"
      used="$(kuberay_extract "$v" "$tmp/kuberay-src")"
      echo "   $used"
      go mod edit -require="$MODULE@v$v" -replace="$MODULE=$tmp/kuberay-src/ray-operator"
      echo "$used; the Go module proxy refused $MODULE@v$v" > origin
    fi
    dir="$(go list -m -f '{{.Dir}}' "$MODULE")"
    # The version's own CRDs, shipped inside the Go module (embedded; picked by --kind).
    mkdir crds
    for crd in rayjobs rayclusters rayservices raycronjobs; do
      f="$dir/config/crd/bases/ray.io_$crd.yaml"
      if [ -f "$f" ]; then cp "$f" crds/; elif [ "$crd" != raycronjobs ]; then echo "no $f"; exit 1; fi
    done
    chmod u+w crds/*.yaml
    go mod tidy
    # KubeRay's messages embed those of its dependencies (k8s.io/apimachinery, sigs.k8s.io/yaml):
    # the checker must link the versions KubeRay's go.mod asks for, not newer ones its own imports
    # could pull in.
    awk '/^require \(/ { r = 1; next } r && /^\)/ { r = 0 } r && NF >= 2 { print $1, $2 } /^require [^(]/ { print $2, $3 }' \
      "$dir/go.mod" | sort > kuberay-requires.txt
    go list -m -f '{{if not .Main}}{{.Path}} {{.Version}}{{end}}' all | sort > checker-resolves.txt
    raised="$(join kuberay-requires.txt checker-resolves.txt | awk '$2 != $3')"
    if [ -n "$raised" ]; then
      echo "the checker would not link KubeRay's own dependency versions (module, KubeRay's, checker's):"
      echo "$raised"
      exit 1
    fi
    mkdir -p "$out_dir"
    go build -trimpath -tags "$fam" -ldflags "-s -w -X main.kuberayVersion=$v" -o "$bin.tmp" .
    mv -f "$bin.tmp" "$bin"
    cp origin "$out_dir/origin"
    printf '%s\n' "$key" > "$out_dir/.stamp"
    rm -f "$out_dir/build.log"
  ) >"$log" 2>&1
  rc=$?
  t1="$(now)"
  if [ $rc -eq 0 ]; then
    echo "   built in $(elapsed "$t0" "$t1")s from $(cat "$out_dir/origin") -> $bin"
    built+=("$v"); record "$v" ok
  elif [ $rc -eq 3 ]; then
    echo "   UNAVAILABLE: the Go module proxy refused it and third_party/kuberay has no copy ($(elapsed "$t0" "$t1")s):"
    grep -m3 "@v$v: \|not available\|unknown revision\|invalid version" "$log" | sed 's/^/     /'
    # e.g. "reading https://proxy.golang.org/.../v1.7.0.zip: 403 Forbidden; server response: This module version is not available."
    why="$(grep -m2 "@v$v: \|not available\|unknown revision\|invalid version" "$log" | sed 's/^go: [^ ]*: //; s/^[[:space:]]*//' | paste -sd ';' | sed 's/;/; /g')"
    record "$v" "unavailable: go get $MODULE@v$v: $why (and no copy in third_party/kuberay)"
    keep_log "$v" "$log"
    unavailable+=("$v")
  else
    echo "   FAILED after $(elapsed "$t0" "$t1")s (log: $CACHE/$v/build.log):"
    tail -n 25 "$log" | sed 's/^/     /'
    last="$(grep -v '^[[:space:]]*$' "$log" | tail -n 1 | cut -c1-300)"
    record "$v" "failed: build error after $(elapsed "$t0" "$t1")s (log: $CACHE/$v/build.log): $last"
    keep_log "$v" "$log"
    failed+=("$v")
  fi
  if [ -n "${KEEP_TMP:-}" ]; then echo "   module dir kept: $tmp"; else rm -rf "$tmp"; fi
done

echo "built: ${built[*]:-none}; cached: ${cached[*]:-none}; unavailable: ${unavailable[*]:-none}; failed: ${failed[*]:-none}"
if [ ${#failed[@]} -gt 0 ] || [ ${#unavailable[@]} -gt 0 ]; then exit 1; fi
exit 0
