#!/usr/bin/env bash
# Build/install every part of the test stack into the cache (outside the repo).
# Idempotent: a part whose cache dir has a .done marker is skipped.
#
#   test/stack/build.sh            # build all missing parts
#   test/stack/build.sh etcd k8s   # only these parts (etcd k8s kuberay ray standin toxiproxy)
#
# Env: RAYJOB_STACK_CACHE (default ~/.cache/rayjob-action-stack), K8S_VERSION, ETCD_VERSION,
#      RAYJOB_STACK_KUBERAY (default 1.7.0; e.g. 1.6.2), RAY_VERSION, TOXIPROXY_VERSION, RAYJOB_STACK_PYTHON (default python3).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=../../third_party/kuberay/source.sh
source "$STACK_SRC_DIR/../../third_party/kuberay/source.sh"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-modcacherw -buildvcs=false"
LOG_DIR=$CACHE_DIR/logs
mkdir -p "$CACHE_DIR" "$LOG_DIR"

TIME=()
[[ -x /usr/bin/time ]] && TIME=(/usr/bin/time -f '   [time] %e s wall, peak RSS %M KB')

# step NAME LOGFILE CMD...: run CMD with output to LOGFILE, die with the log tail on failure
step() {
  local name=$1 logf=$2; shift 2
  log "  $name: $*"
  if ! "${TIME[@]}" "$@" >>"$logf" 2>&1; then
    tail -n 40 "$logf" >&2
    die "$name failed: command: $* (full log: $logf)"
  fi
  # parts build in parallel (pip beside Go): name the step on its time line
  [[ ${#TIME[@]} -gt 0 ]] && log "  $name:$(tail -n 1 "$logf")"
  return 0
}

# ---------------------------------------------------------------------------------------------
build_etcd() {
  local out=$ETCD_DIR logf=$LOG_DIR/etcd-$ETCD_VERSION.log
  [[ -f $out/.done ]] && { log "etcd $ETCD_VERSION: cached ($out)"; return; }
  local t0; t0=$(now); : >"$logf"
  log "etcd $ETCD_VERSION: building from go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  local w; w=$(mktemp -d /tmp/rjs-etcdwrap.XXXXXX)
  mkdir -p "$out"
  (
    cd "$w"
    step "go mod init" "$logf" go mod init example.invalid/etcdwrap
    step "go get -tool" "$logf" go get -tool "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
    step "go build etcd" "$logf" go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3
  )
  rm -rf "$w"
  "$out/etcd" --version 2>&1 | sed -n 1p >&2
  touch "$out/.done"
  log "etcd $ETCD_VERSION: done in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------------------------------------
build_k8s() {
  local out=$K8S_DIR logf=$LOG_DIR/k8s-$K8S_VERSION.log
  [[ -f $out/.done ]] && { log "kubernetes $K8S_VERSION: cached ($out)"; return; }
  local t0; t0=$(now); : >"$logf"
  local minor staging
  minor=$(cut -d. -f2 <<<"$K8S_VERSION")
  staging=v0.${K8S_VERSION#1.}
  log "kubernetes $K8S_VERSION: building kube-apiserver + kube-controller-manager (staging modules -> $staging)"
  local w; w=$(mktemp -d /tmp/rjs-k8swrap.XXXXXX)
  mkdir -p "$out"
  (
    cd "$w"
    step "go mod init" "$logf" go mod init example.invalid/kapiwrap
    local kmod
    kmod=$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | sed -n 's/.*"GoMod": *"\([^"]*\)".*/\1/p')
    [[ -f $kmod ]] || die "go mod download -json k8s.io/kubernetes@v$K8S_VERSION gave no GoMod file"
    local m n=0
    for m in $(awk '$2=="=>" && $3 ~ /^\.\/staging\// {print $1}' "$kmod"); do
      go mod edit -replace="$m=$m@$staging"; n=$((n+1))
    done
    log "  replaced $n staging modules (from $kmod)"
    [[ $n -gt 20 ]] || die "only $n staging replaces derived from $kmod"
    step "go get -tool kube-apiserver" "$logf" go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@v$K8S_VERSION"
    step "go get -tool kube-controller-manager" "$logf" go get -tool "k8s.io/kubernetes/cmd/kube-controller-manager@v$K8S_VERSION"
    local ldf="-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION \
-X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor \
-X k8s.io/component-base/version.gitTreeState=clean \
-X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
    local t1; t1=$(now)
    step "go build kube-apiserver" "$logf" go build -trimpath -ldflags "$ldf" -o "$out/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
    log "  kube-apiserver built in $(elapsed "$t1") s"
    t1=$(now)
    step "go build kube-controller-manager" "$logf" go build -trimpath -ldflags "$ldf" -o "$out/kube-controller-manager" k8s.io/kubernetes/cmd/kube-controller-manager
    log "  kube-controller-manager built in $(elapsed "$t1") s"
  )
  rm -rf "$w"
  "$out/kube-apiserver" --version >&2
  touch "$out/.done"
  log "kubernetes $K8S_VERSION: done in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------------------------------------
build_kuberay() {
  local out=$KUBERAY_DIR logf=$LOG_DIR/kuberay-$KUBERAY_VERSION.log sha
  # a build from a third_party copy is stale once SHA256SUMS names another archive for the version
  sha=$(kuberay_copy_sha256 "$KUBERAY_VERSION")
  if [[ -f $out/.done ]] && grep -q '^third_party/' "$out/SOURCE" 2>/dev/null && ! grep -q "sha256 ${sha:-none}" "$out/SOURCE"; then
    log "kuberay $KUBERAY_VERSION: cached build is from another third_party copy ($(cat "$out/SOURCE")): rebuilding"
    rm -f "$out/.done"
  fi
  [[ -f $out/.done ]] && { log "kuberay $KUBERAY_VERSION: cached ($out, from $(cat "$out/SOURCE" 2>/dev/null || echo 'the Go module proxy'))"; return; }
  local t0; t0=$(now); : >"$logf"
  local mod=$KUBERAY_MODULE@v$KUBERAY_VERSION dir src=
  rm -rf "$out"
  mkdir -p "$out/crds"
  # The Go module proxy first; only a version it refuses is built from the sha256-checked copy in
  # third_party/kuberay (see third_party/kuberay/README.md).
  log "kuberay $KUBERAY_VERSION: go mod download $mod"
  if (cd /tmp && go mod download -json "$mod") >"$LOG_DIR/kuberay-$KUBERAY_VERSION.download.json" 2>>"$logf"; then
    dir=$(sed -n 's/.*"Dir": *"\([^"]*\)".*/\1/p' "$LOG_DIR/kuberay-$KUBERAY_VERSION.download.json")
    (
      cd /tmp
      GOBIN=$out step "go install ray-operator" "$logf" go install -trimpath -ldflags "-s -w" "$mod"
    )
    echo "the Go module proxy ($mod)" >"$out/SOURCE"
  else
    cat "$LOG_DIR/kuberay-$KUBERAY_VERSION.download.json" >>"$logf"
    sed -n 's/.*"Error": *"\(.*\)",*$/\1/p' "$LOG_DIR/kuberay-$KUBERAY_VERSION.download.json" | sed 's/\\[nt]/ /g' >&2
    kuberay_proxy_refused "$logf" "$KUBERAY_VERSION" ||
      die "go mod download $mod failed, and not because the proxy refuses the version (log: $logf)"
    kuberay_copy "$KUBERAY_VERSION" >/dev/null ||
      die "the Go module proxy refuses $mod and third_party/kuberay has no copy of v$KUBERAY_VERSION (log: $logf)"
    src=$(mktemp -d /tmp/rjs-kuberay-src.XXXXXX)
    local used
    used=$(kuberay_extract "$KUBERAY_VERSION" "$src" 2>>"$logf") || { tail -n 5 "$logf" >&2; rm -rf "$src"; die "kuberay $KUBERAY_VERSION: the third_party copy cannot be used (log: $logf)"; }
    log "kuberay $KUBERAY_VERSION: the proxy refuses $mod; building from $used"
    dir=$src/ray-operator
    (
      cd "$dir"
      step "go build ray-operator (third_party copy)" "$logf" go build -trimpath -ldflags "-s -w" -o "$out/ray-operator" .
    )
    echo "$used; the Go module proxy refused $mod" >"$out/SOURCE"
  fi
  [[ -d $dir/config/crd/bases ]] || die "kuberay $KUBERAY_VERSION: no config/crd/bases under '$dir'"
  cp "$dir"/config/crd/bases/ray.io_*.yaml "$out/crds/"
  chmod u+w "$out"/crds/*.yaml
  [[ -n $src ]] && rm -rf "$src"
  ls "$out/crds" >&2
  touch "$out/.done"
  log "kuberay $KUBERAY_VERSION: done in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------------------------------------
build_ray() {
  local out=$RAY_VENV logf=$LOG_DIR/ray-$RAY_VERSION.log
  [[ -f $out/.done ]] && { log "ray $RAY_VERSION venv: cached ($out)"; return; }
  local t0; t0=$(now); : >"$logf"
  log "ray $RAY_VERSION: venv $out, pip install ray[default]==$RAY_VERSION"
  rm -rf "$out"
  step "python -m venv" "$logf" "$PYTHON" -m venv "$out"
  step "pip install" "$logf" "$out/bin/python" -m pip install --disable-pip-version-check --no-input \
    "ray[default]==$RAY_VERSION"
  "$out/bin/ray" --version >&2
  touch "$out/.done"
  log "ray $RAY_VERSION venv: done in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------------------------------------
build_standin() {
  local out=$STANDIN_DIR logf=$LOG_DIR/standin.log
  [[ -f $out/.done ]] && { log "stand-in: cached ($out)"; return; }
  local t0; t0=$(now); : >"$logf"
  log "stand-in: go build ($STACK_SRC_DIR/standin -> $out)"
  mkdir -p "$out"
  (
    cd "$STACK_SRC_DIR/standin"
    step "go build standin" "$logf" go build -mod=mod -trimpath -ldflags "-s -w" -o "$out/standin" .
  )
  touch "$out/.done"
  # the stand-in is keyed by a hash of its source: drop builds of older sources
  local d
  for d in "$CACHE_DIR"/standin-*; do
    [[ $d == "$out" ]] || rm -rf "$d"
  done
  log "stand-in: done in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------------------------------------
# Toxiproxy's server and CLI: the fault tests put it between the action and the API server / the
# Ray Dashboard (started per test file by __tests__/integration/toxiproxy.ts, not by up.sh).
build_toxiproxy() {
  local out=$TOXIPROXY_DIR logf=$LOG_DIR/toxiproxy-$TOXIPROXY_VERSION.log
  [[ -f $out/.done ]] && { log "toxiproxy $TOXIPROXY_VERSION: cached ($out)"; return; }
  local t0; t0=$(now); : >"$logf"
  local mod=github.com/Shopify/toxiproxy/v2
  log "toxiproxy $TOXIPROXY_VERSION: go install $mod/cmd/server and cmd/cli"
  mkdir -p "$out"
  (
    cd /tmp
    GOBIN=$out step "go install toxiproxy" "$logf" go install -trimpath \
      -ldflags "-s -w -X $mod.Version=$TOXIPROXY_VERSION" \
      "$mod/cmd/server@v$TOXIPROXY_VERSION" "$mod/cmd/cli@v$TOXIPROXY_VERSION"
  )
  mv "$out/server" "$out/toxiproxy-server"
  mv "$out/cli" "$out/toxiproxy-cli"
  "$out/toxiproxy-server" -version >&2
  touch "$out/.done"
  log "toxiproxy $TOXIPROXY_VERSION: done in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------------------------------------
parts=("$@")
[[ ${#parts[@]} -eq 0 ]] && parts=(ray etcd k8s kuberay standin toxiproxy)
T0=$(now)
log "build: cache $CACHE_DIR; parts: ${parts[*]}"
command -v go >/dev/null || die "go not found on PATH"
ray_pid=
for p in "${parts[@]}"; do
  case $p in
    ray)
      # pip is network/IO bound: run it beside the Go builds
      if [[ ! -f $RAY_VENV/.done ]]; then build_ray & ray_pid=$!; else build_ray; fi ;;
    etcd) build_etcd ;;
    k8s) build_k8s ;;
    kuberay) build_kuberay ;;
    standin) build_standin ;;
    toxiproxy) build_toxiproxy ;;
    *) die "unknown part '$p' (etcd k8s kuberay ray standin toxiproxy)" ;;
  esac
done
if [[ -n $ray_pid ]]; then
  wait "$ray_pid" || die "ray venv build failed (log: $LOG_DIR/ray-$RAY_VERSION.log)"
fi
log "build: all parts ready in $(elapsed "$T0") s"
