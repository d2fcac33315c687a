#!/usr/bin/env bash
# Builds (or reuses) the real runtime the end-to-end tests start beside the app: Dapr's daprd and scheduler,
# from the Go module proxy, and a Kafka-protocol broker (franz-go's kfake, an in-memory cluster; not Apache
# Kafka). Binaries are cached by version outside the checkout; a first build takes 10-40 minutes on 2 cores.
# Prints the folder that holds daprd, scheduler, kafka-broker and kafka-records.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
DAPR_VERSION="${DAPR_VERSION:-1.14.0}"
cache="${TODO_RUNTIME_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-chatbot-runtime}"
bin="$cache/dapr-$DAPR_VERSION"
mkdir -p "$bin"
log() { printf '%s\n' "$*" >&2; }

if [ ! -x "$bin/scheduler" ] || [ "$("$bin/daprd" --version 2>/dev/null)" != "$DAPR_VERSION" ]; then
  log "building daprd and scheduler $DAPR_VERSION (first time only)"
  src_dir=$(cd /tmp && go mod download -json "github.com/dapr/dapr@v$DAPR_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  work="$cache/src-dapr-$DAPR_VERSION"
  rm -rf "$work"
  cp -r "$src_dir" "$work"
  chmod -R u+w "$work"
  # Keep only the components the app and its tests use: fewer packages to download and compile.
  keep='^(pubsub_kafka|pubsub_in-memory|secretstores_local_file|secretstores_local_env|nameresolution_mdns)\.go$'
  for f in "$work"/cmd/daprd/components/*.go; do
    name=$(basename "$f")
    case "$name" in *_test.go) continue ;; esac
    if ! grep -q '^//go:build' "$f"; then continue; fi
    [[ "$name" =~ $keep ]] || rm -f "$f"
  done
  ldflags="-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=$DAPR_VERSION"
  (cd "$work" && go build -trimpath -ldflags "$ldflags" -tags allcomponents -o "$bin/daprd.tmp" ./cmd/daprd && mv "$bin/daprd.tmp" "$bin/daprd")
  (cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$bin/scheduler.tmp" ./cmd/scheduler && mv "$bin/scheduler.tmp" "$bin/scheduler")
  rm -rf "$work"
fi

# The broker and the record reader are our own few lines: rebuilt when they change.
stamp=$(cat "$here/go.mod" "$here/go.sum" "$here"/*/main.go | sha256sum | cut -c1-16)
for tool in broker records; do
  name="kafka-$tool"
  if [ ! -x "$bin/$name-$stamp" ]; then
    log "building $name"
    (cd "$here" && go build -trimpath -ldflags "-s -w" -o "$bin/$name-$stamp" "./$tool")
  fi
  ln -sf "$name-$stamp" "$bin/$name"
  find "$bin" -name "$name-*" ! -name "$name-$stamp" -delete
done
echo "$bin"
