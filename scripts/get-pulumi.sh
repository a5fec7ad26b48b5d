#!/usr/bin/env bash
# Provide a pinned Pulumi CLI with its Python plugins and print, as the last
# line, the directory that contains them.
#
# Order of preference:
#   1. a `pulumi` on PATH at PULUMI_VERSION or newer, with its Python plugins;
#   2. a cached build from an earlier run;
#   3. a build from the Go module proxy at PULUMI_VERSION;
#   4. the official installer, for machines that reach get.pulumi.com.
#
# The result is cached under PTC_CACHE_DIR (default ~/.cache/ptc-provider) so
# later runs take seconds.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.276.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${PTC_CACHE_DIR:-$HOME/.cache/ptc-provider}"
dest="$cache/pulumi-v$PULUMI_VERSION"
# The language host is built from langhost/, so a change to its sources
# rebuilds it (in seconds) without rebuilding the CLI.
langhost_hash="$(cat "$root"/langhost/go.mod "$root"/langhost/go.sum "$root"/langhost/*.go \
    | sha256sum | cut -c1-16)"

log() { printf 'get-pulumi: %s\n' "$*" >&2; }

version_at_least() {
    # True when version $1 >= version $2 (both without a leading v).
    [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

has_python_plugins() {
    local dir="$1"
    [ -x "$dir/pulumi-language-python" ] || return 1
    [ -x "$dir/pulumi-language-python-exec" ] || return 1
    [ -x "$dir/pulumi-resource-pulumi-python" ] || return 1
}

from_path() {
    local found dir version
    found="$(command -v pulumi 2>/dev/null)" || return 1
    dir="$(dirname "$(readlink -f "$found")")"
    version="$("$found" version 2>/dev/null | sed 's/^v//')" || return 1
    if ! version_at_least "$version" "$PULUMI_VERSION"; then
        log "ignoring $found: version $version is older than $PULUMI_VERSION"
        return 1
    fi
    if ! has_python_plugins "$dir"; then
        log "ignoring $found: its directory lacks the Python plugins"
        return 1
    fi
    log "using $found (version $version)"
    echo "$dir"
}

from_cache() {
    [ -x "$dest/bin/pulumi" ] && has_python_plugins "$dest/bin" || return 1
    if [ "$(cat "$dest/bin/.langhost-hash" 2>/dev/null)" != "$langhost_hash" ]; then
        build_langhost || return 1
    fi
    log "using cached build in $dest/bin"
    echo "$dest/bin"
}

build_langhost() {
    command -v go >/dev/null 2>&1 || { log "go not found"; return 1; }
    log "building the Python language host from langhost/"
    # Pulumi's Python language host is a separate Go module that the module
    # proxy does not serve, so the host in langhost/ is built instead.
    GOTOOLCHAIN=local go build -C "$root/langhost" -mod=readonly -trimpath \
        -ldflags "-X main.version=$PULUMI_VERSION" \
        -o "$dest/bin/pulumi-language-python" . >&2 || return 1
    echo "$langhost_hash" >"$dest/bin/.langhost-hash"
}

from_go_proxy() {
    command -v go >/dev/null 2>&1 || { log "go not found"; return 1; }
    local work="$dest/build"
    rm -rf "$work"
    mkdir -p "$work" "$dest/bin"
    log "building pulumi v$PULUMI_VERSION from the Go module proxy (first run: several minutes)"

    (
        cd "$work"
        export GOFLAGS=-mod=mod GOTOOLCHAIN=local
        go mod init ptc-provider.local/pulumi-build >/dev/null 2>&1
        # pkg/v3 and sdk/v3 reach each other through local replaces, which a
        # module outside their repository cannot use. Require both at the same
        # version and repeat their non-local replaces instead.
        go mod edit \
            -require="github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" \
            -require="github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
        for dep in pkg sdk; do
            modfile="$(go mod download -json "github.com/pulumi/pulumi/$dep/v3@v$PULUMI_VERSION" \
                | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')"
            sed -n 's/^replace \([^ ]*\) => \([^.][^ ]*\) \(v[^ ]*\)$/\1=\2@\3/p' "$modfile" \
                | while read -r rule; do go mod edit -replace="$rule"; done
        done

        go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION"
        go build -trimpath \
            -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
            -o "$dest/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    ) >&2 || return 1
    build_langhost || return 1

    # The two scripts the engine runs ship inside the sdk/v3 module.
    local sdk
    sdk="$(cd "$work" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
    install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$dest/bin/"
    install -m 0755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$dest/bin/"
    rm -rf "$work"
    echo "$dest/bin"
}

from_installer() {
    command -v curl >/dev/null 2>&1 || return 1
    log "trying the official installer for v$PULUMI_VERSION"
    curl -fsSL --max-time 30 https://get.pulumi.com -o "$dest.install.sh" || return 1
    sh "$dest.install.sh" --version "$PULUMI_VERSION" --install-root "$dest" --no-edit-path >&2 || return 1
    has_python_plugins "$dest/bin" || return 1
    echo "$dest/bin"
}

from_path || from_cache || from_go_proxy || from_installer || {
    log "could not obtain pulumi v$PULUMI_VERSION: no suitable pulumi on PATH," \
        "the Go module proxy build failed, and the official installer is unreachable"
    exit 1
}
