#!/usr/bin/env bash
# Check the dynamic symbols of persistence.so against the install scripts:
#  (a) every C symbol an install/upgrade script names (AS 'MODULE_PATHNAME', 'persistence_x')
#      is exported unmangled as a text symbol, with its pg_finfo_ record (PG_FUNCTION_INFO_V1);
#  (b) no exported C++-mangled symbol demangles to an SQL entry point (a missing extern "C");
#  (c) Pg_magic_func and _PG_init are exported.
# Usage: bash scripts/check-symbols.sh [path/to/persistence.so]
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LIBRARY=${1:-$REPO_ROOT/$EXTENSION.so}
PROBLEMS=0

problem() {
    printf 'check-symbols: %s\n' "$*" >&2
    PROBLEMS=$((PROBLEMS + 1))
}

# The second string of every  AS 'MODULE_PATHNAME', 'sym'  (or '$libdir/<ext>'), even
# when split across lines; comments are dropped first so commented-out code is ignored.
sql_symbols() {
    local script
    for script in "$REPO_ROOT"/sql/"$EXTENSION"--*.sql; do
        sed -e 's/--.*$//' "$script"
    done | tr '\n' ' ' |
        { grep -oE "'(MODULE_PATHNAME|\\\$libdir/$EXTENSION)'[[:space:]]*,[[:space:]]*'[^']+'" || true; } |
        sed -E "s/.*'([^']+)'\$/\\1/" | sort -u
}

# C-language functions that leave the symbol implicit (the SQL name): explicit is the rule,
# so the symbol's persistence_ prefix is visible in the script.
implicit_symbol_count() {
    local script
    for script in "$REPO_ROOT"/sql/"$EXTENSION"--*.sql; do
        sed -e 's/--.*$//' "$script"
    done | tr '\n' ' ' |
        { grep -oE "'(MODULE_PATHNAME|\\\$libdir/$EXTENSION)'[[:space:]]*[^,[:space:]]" || true; } |
        wc -l
}

main() {
    if [[ ! -f "$LIBRARY" ]]; then
        say "check-symbols: $LIBRARY not found (run make first)" >&2
        exit 1
    fi
    local defined text sym implicit
    defined=$(nm -D --defined-only "$LIBRARY")
    # "address type name" for text symbols, name only.
    text=$(awk '$2 == "T" { print $3 }' <<<"$defined" | sed 's/@.*//' | sort -u)

    local symbols=()
    mapfile -t symbols < <(sql_symbols)
    for sym in "${symbols[@]}"; do
        grep -qxF "$sym" <<<"$text" || problem "SQL names '$sym' but $LIBRARY does not export it (T)"
        grep -qxF "pg_finfo_$sym" <<<"$text" || problem "'$sym' has no pg_finfo_$sym: PG_FUNCTION_INFO_V1($sym) missing"
    done
    implicit=$(implicit_symbol_count)
    if ((implicit > 0)); then
        problem "$implicit C function(s) in sql/$EXTENSION--*.sql use AS 'MODULE_PATHNAME' without a symbol name"
    fi

    local mangled
    mangled=$(awk '$3 ~ /^_Z/ { print $3 }' <<<"$defined" | sort -u)
    if [[ -n "$mangled" ]]; then
        while IFS=$'\t' read -r raw demangled; do
            problem "mangled entry point (extern \"C\" missing): $demangled  [$raw]"
        done < <(paste <(echo "$mangled") <(c++filt <<<"$mangled") |
            awk -F'\t' '$2 ~ /^(persistence_|pg_finfo_|_PG_init|_PG_fini|Pg_magic_func)/')
    fi

    for sym in Pg_magic_func _PG_init; do
        grep -qxF "$sym" <<<"$text" || problem "$sym is not exported"
    done

    if ((PROBLEMS > 0)); then
        say "check-symbols: $PROBLEMS problem(s) in $LIBRARY" >&2
        exit 1
    fi
    say "symbols ok (${#symbols[@]} SQL-callable symbols)"
}

main "$@"
