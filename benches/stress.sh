#!/usr/bin/env bash
# Stress the write path and the readers beside it, with the real binary:
#
#   1. kill -9 during edits: a writer is killed at a random moment, again
#      and again; after each kill the graph must still load and `check` clean,
#      and every edit that reported success must be in it.
#   2. concurrent writers with readers: W writers add entities while readers
#      run `show`/`trace`/`stats` and `check` loops on the same file; no
#      command may panic (101) or abort (134), every reader answers 0 or 1,
#      and at the end every successful write is in the file.
#   3. `check` loops on a big file while other versions are renamed over it.
#
#   benches/stress.sh [SECONDS]      default 20 s in all (CI runs this)
#   benches/stress.sh --long         10 minutes
#
# Needs a built binary: CLAIMGRAPH (default target/release/claimgraph, else
# target/debug/claimgraph). Prints a summary line per phase and exits 1 on
# any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=20
case "${1:-}" in
  --long) seconds=600 ;;
  "") ;;
  *) seconds=$1 ;;
esac
bin=${CLAIMGRAPH:-}
if [ -z "$bin" ]; then
  for b in target/release/claimgraph target/debug/claimgraph; do
    if [ -x "$b" ]; then bin=$PWD/$b; break; fi
  done
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "stress: build claimgraph first (cargo build)" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export NO_COLOR=1
unset CLAIMGRAPH_GRAPH CLAIMGRAPH_CRASH_AT CLAIMGRAPH_NO_CACHE
failures=0
fail() { echo "stress: FAIL: $*" >&2; failures=$((failures + 1)); }

# A panic or abort, or a hang past 60 s, is a failure whatever the command.
# Exit 0 and 1 are answers; 137 is our own kill -9.
judge() {
  local code=$1 what=$2
  case $code in
    0 | 1) ;;
    124) fail "$what hung (timeout)" ;;
    *) fail "$what exited $code" ;;
  esac
}

# ---- 1. kill -9 during edits ------------------------------------------------
g=$work/kill.json
"$bin" init "$g" --from-default >/dev/null
kills=0 edits=0 n=0
end=$((SECONDS + seconds / 2))
while [ $SECONDS -lt $end ]; do
  n=$((n + 1))
  "$bin" --graph "$g" add entity "k$n" --name "Killed $n" --kind nutrient >/dev/null 2>&1 &
  pid=$!
  # 0–300 ms: sometimes before the lock, sometimes mid-write, sometimes after.
  sleep "$(printf '0.%03d' $((RANDOM % 300)))"
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null && edits=$((edits + 1)) || true
  code=0
  timeout 60 "$bin" --graph "$g" check >/dev/null 2>&1 || code=$?
  [ "$code" = 0 ] || fail "check after kill $kills exited $code"
done
# Every edit that finished (exit 0) must have survived later kills.
survivors=$(grep -c '"id": "k[0-9]*"' "$g" || true)
[ "$survivors" -ge "$edits" ] || fail "$edits edits reported success, $survivors in the file"
echo "stress: kill -9 during edits: $n writers started, $kills killed, $edits completed, $survivors in the file, $failures failures"

# ---- 2. concurrent writers, readers and check loops --------------------------
g=$work/busy.json
"$bin" init "$g" --from-default >/dev/null
log=$work/codes
: >"$log"
end=$((SECONDS + seconds / 2))
writer() {
  local w=$1 i=0
  while [ $SECONDS -lt $end ]; do
    i=$((i + 1))
    code=0
    timeout 60 "$bin" --graph "$g" --lock-timeout 50 add entity "w$w-$i" --name "Writer $w $i" --kind nutrient \
      >/dev/null 2>&1 || code=$?
    echo "write w$w-$i $code" >>"$log"
  done
}
reader() {
  local args=("$@")
  while [ $SECONDS -lt $end ]; do
    code=0
    timeout 60 "$bin" --graph "$g" "${args[@]}" >/dev/null 2>&1 || code=$?
    echo "read ${args[0]} $code" >>"$log"
  done
}
for w in 1 2 3 4; do writer "$w" & done
reader show zinc &
reader trace zinc bone-mineralization &
reader stats &
reader check &
reader check --format json &
wait
while read -r kind what code; do judge "$code" "$kind $what"; done <"$log"
writes=$(grep -c '^write .* 0$' "$log" || true)
reads=$(grep -c '^read ' "$log" || true)
missing=0
while read -r _ id code; do
  [ "$code" = 0 ] && ! grep -q "\"id\": \"$id\"" "$g" && missing=$((missing + 1))
done < <(grep '^write ' "$log")
[ "$missing" = 0 ] || fail "$missing successful writes missing from the file"
code=0
"$bin" --graph "$g" check >/dev/null 2>&1 || code=$?
[ "$code" = 0 ] || fail "final check exited $code"
echo "stress: concurrent: $writes writes, $reads reads/checks, $missing lost, $failures failures"

# ---- 3. check while the file is replaced under it ----------------------------
# A big file (parsed from a memory map) with findings, and a writer that
# renames other versions over it: findings must be placed in the bytes that
# were parsed (this once panicked with "not a char boundary").
g=$work/big.json
"$bin" generate --claims 5000 --entities 900 --output "$work/a.json" >/dev/null
sed 's/"inhibits"/"inhibitz"/' "$work/a.json" >"$work/b.json"
sed 's/Tavrex/Távrëx/g; s/"increases"/"increasez"/' "$work/a.json" >"$work/c.json"
cp "$work/b.json" "$g"
end=$((SECONDS + seconds / 4 + 1))
( while [ $SECONDS -lt $end ]; do
    for v in a b c; do cp "$work/$v.json" "$g.new" && mv "$g.new" "$g"; done
  done ) &
checks=0
while [ $SECONDS -lt $end ]; do
  code=0
  timeout 60 "$bin" --graph "$g" check >/dev/null 2>&1 || code=$?
  judge "$code" "check during replacement"
  checks=$((checks + 1))
done
wait
echo "stress: check during replacement: $checks checks, $failures failures"

[ "$failures" = 0 ] && echo "stress: 0 failures in ${seconds}s" || { echo "stress: $failures failures" >&2; exit 1; }
