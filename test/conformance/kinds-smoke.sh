#!/usr/bin/env bash
# Smoke test of kuberay-check --kind: runs every built release's checker over
# test/conformance/cases/kinds-smoke.jsonl and prints what KubeRay's own validation says.
#
#   test/conformance/kinds-smoke.sh [version...]   # default: every release of versions.json
#
# kinds-smoke.jsonl holds one object per line with three extra keys: "_kind" (the --kind it is
# checked with), "_id" and "_note" (what the line is about and what to expect; removed here
# before the checker sees the line). The lines of each kind go to one checker run with that
# --kind. A kind the release does not have (RayCronJob before 1.6) prints the checker's refusal
# (exit 2) instead.
#
# Output: one line per release, kind and object:
#   <version> <kind> <id>: valid | INVALID: <KubeRay's error> | PANIC: <panic>
#
# Exit status: 1 when a required release (versions.json "required") has no checker (build it
# with test/conformance/build.sh) or a checker failed in another way than refusing an absent
# kind; 0 otherwise. Verdicts are printed, not compared (see _note for what each line expects).
#
# Env: RAYJOB_CONFORMANCE_CACHE (default ~/.cache/rayjob-action-conformance), as build.sh.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${RAYJOB_CONFORMANCE_CACHE:-$HOME/.cache/rayjob-action-conformance}"
CASES="$HERE/cases/kinds-smoke.jsonl"
KINDS=(RayJob RayCluster RayService RayCronJob)

command -v jq >/dev/null || { echo "kinds-smoke.sh: jq not found" >&2; exit 2; }
mapfile -t REQUIRED < <(jq -r '.required[]' "$HERE/versions.json")
mapfile -t OPTIONAL < <(jq -r '.optional[]' "$HERE/versions.json")
if [ $# -gt 0 ]; then VERSIONS=("$@"); else VERSIONS=("${REQUIRED[@]}" "${OPTIONAL[@]}"); fi

is_required() { local r; for r in "${REQUIRED[@]}"; do [ "$r" = "$1" ] && return 0; done; return 1; }

rc=0
for v in "${VERSIONS[@]}"; do
  v="${v#v}"
  bin="$CACHE/$v/kuberay-check"
  status="$(cat "$CACHE/$v/status" 2>/dev/null || echo 'not built')"
  if [ ! -x "$bin" ] || [ "$status" != ok ]; then
    if is_required "$v"; then
      echo "== KubeRay $v: NO CHECKER ($status; run: bash test/conformance/build.sh $v) (required)"
      rc=1
    else
      echo "== KubeRay $v: no checker ($status), skipped (optional)"
    fi
    continue
  fi
  echo "== KubeRay $v: $(head -n1 < <("$bin" --version))"
  for kind in "${KINDS[@]}"; do
    input="$(jq -c --arg k "$kind" 'select(._kind == $k) | del(._note)' "$CASES")"
    [ -n "$input" ] || continue
    out="$(printf '%s\n' "$input" | "$bin" --kind "$kind" 2>&1)"
    code=$?
    if [ $code -eq 2 ] && [ "$kind" = RayCronJob ]; then
      echo "$v $kind: not checkable: ${out#kuberay-check: }"
      continue
    fi
    if [ $code -ne 0 ]; then
      echo "$v $kind: CHECKER FAILED (exit $code): $out"; rc=1; continue
    fi
    printf '%s\n' "$out" | jq -r --arg v "$v" --arg k "$kind" \
      '"\($v) \($k) \(._id): " + (if .panic then "PANIC: \(.panic)" elif .valid then "valid" else "INVALID: \(.error)" end)'
  done
done
exit $rc
