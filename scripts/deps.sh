#!/usr/bin/env bash
# Install the Debian packages needed to build and test persistence. Asks dpkg first and
# touches apt only when something is missing, so it is cheap to run before every build.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PACKAGES=(
    postgresql-15
    postgresql-server-dev-15
    postgresql-15-pgtap
    libtap-parser-sourcehandler-pgtap-perl # pg_prove
    libsodium-dev
    catch2
    libssl-dev
    libre2-dev
    clang # clang-14: the fuzz build and PGXS's JIT bitcode
    # libFuzzer and clang's sanitizer runtimes: only a Recommends of clang, which
    # --no-install-recommends would skip.
    libclang-rt-14-dev
    g++
    make
)

missing_packages() {
    local pkg status
    for pkg in "${PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        if [[ "$status" != installed ]]; then echo "$pkg"; fi
    done
}

apt_install() {
    # sudo drops the environment, so the frontend goes through env(1).
    run_privileged env DEBIAN_FRONTEND=noninteractive apt-get update &&
        run_privileged env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y --no-install-recommends "$@"
}

main() {
    local missing
    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} == 0)); then
        say "deps: all ${#PACKAGES[@]} packages present"
        return 0
    fi
    say "deps: missing: ${missing[*]}"
    if ! is_root && ! command -v sudo >/dev/null 2>&1; then
        warn "not root and no sudo; as root, run:"
        warn "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
        exit 1
    fi
    if ! apt_install "${missing[@]}"; then
        warn "installing failed; as root, run:"
        warn "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
        exit 1
    fi
    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} > 0)); then die "still missing after apt-get: ${missing[*]}"; fi
    say "deps: installed"
}

main "$@"
