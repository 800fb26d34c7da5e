#!/usr/bin/env bash
# Stop everything up.sh started (by the PIDs/sessions recorded in the state dir), delete the
# network namespaces and veths it created, and remove its state and temp dirs.
#   test/stack/down.sh [--keep-state]   (--keep-state keeps $RAYJOB_STACK_DIR/logs etc. for debugging)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KEEP=0
[[ ${1:-} == --keep-state ]] && KEEP=1
PIDS=$STATE_DIR/pids
T0=$(now)

if [[ ! -d $STATE_DIR ]]; then
  log "nothing to stop ($STATE_DIR does not exist)"
  exit 0
fi

# Each component runs in a session of its own: stop them all at once. The stand-in stops the
# container processes it runs itself; any left over are members of its session and go with it.
for name in standin ray-operator kube-controller-manager ray-head-token ray-head kube-apiserver etcd; do
  f=$PIDS/$name.pid
  [[ -f $f ]] || continue
  stop_session "$name" "$(cat "$f")" "$(cat "$PIDS/$name.start" 2>/dev/null)" &
done
wait

# network namespaces and veths we created
if [[ -f $STATE_DIR/veths ]]; then
  for v in $(sort -u "$STATE_DIR/veths"); do
    ip link del "$v" 2>/dev/null && log "  deleted veth $v" || true
  done
fi
if [[ -f $STATE_DIR/netns ]]; then
  for ns in $(sort -u "$STATE_DIR/netns"); do
    ip netns del "$ns" 2>/dev/null && log "  deleted netns $ns" || true
  done
fi
if [[ -f $STATE_DIR/tmpdirs ]]; then
  for d in $(sort -u "$STATE_DIR/tmpdirs"); do
    [[ $d == /tmp/rjs-* ]] && rm -rf "$d"
  done
fi

if [[ $KEEP == 1 ]]; then
  rm -rf "$PIDS" "$STATE_DIR/stack.json" "$STATE_DIR/etcd"
  log "stack stopped in $(elapsed "$T0") s (state kept in $STATE_DIR)"
else
  rm -rf "$STATE_DIR"
  log "stack stopped and $STATE_DIR removed in $(elapsed "$T0") s"
fi
