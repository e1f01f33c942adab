#!/usr/bin/env bash
# Runs each libFuzzer target (built by `make fuzz` into build/fuzz/) for SECONDS.
# Seeds come from test/fuzz/corpus/<target>/ when it exists, else test/fuzz/corpus/<name>/
# (the target without fuzz_<module>_, e.g. fuzz_edn_text → text, fuzz_fact_txdata → txdata) and are copied to a scratch corpus, so the
# checkout never changes; a crash reproducer is kept under build/fuzz/ and fails the run.
# Usage: scripts/fuzz.sh SECONDS TARGET...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=$1
shift
failed=0
for target in "$@"; do
    name="${target#fuzz_}"
    seeds="test/fuzz/corpus/${name#*_}"
    # A folder named after the whole target wins (fuzz_datom_binary and fuzz_edn_binary
    # would otherwise share corpus/binary).
    if [ -d "test/fuzz/corpus/$target" ]; then seeds="test/fuzz/corpus/$target"; fi
    work="build/fuzz/corpus-$target"
    rm -rf "$work" && mkdir -p "$work"
    if [ -d "$seeds" ]; then cp -r "$seeds"/. "$work"/; fi
    echo "== fuzz $target for ${seconds}s"
    if "build/fuzz/$target" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
        -artifact_prefix="build/fuzz/$target-" -print_final_stats=1 "$work" \
        >"build/fuzz/$target.log" 2>&1; then
        grep -E "^Done [0-9]+ runs" "build/fuzz/$target.log" || true
        echo "fuzz $target: ok (no finding)"
    else
        tail -40 "build/fuzz/$target.log"
        echo "fuzz $target: FINDING (reproducer under build/fuzz/$target-*)"
        failed=$((failed + 1))
    fi
done
exit "$failed"
