#!/usr/bin/env bash
# Runs the Dockerfile's build stage on this machine, without a container engine, and lays out in $1 what the
# runtime stage copies from it. It reads the Dockerfile instead of repeating it: a clean copy of the build
# context (the repository's files less .dockerignore) in a temporary folder, then the stage's WORKDIR, ARG,
# ENV, COPY and RUN lines in order, each RUN's text given to sh unchanged (BuildKit's --mount flags, a cache,
# aside). An instruction or flag it does not know stops it, so what CI builds here cannot drift from the image.
#   .ci/image-build.sh OUT       build, then copy the runtime stage's `COPY --from=<build stage>` sources into OUT
#   .ci/image-build.sh --plan    print the steps, one a line, without running them (test/image.test.ts reads them)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dockerfile="$root/Dockerfile"

die() { echo "image-build: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUT | --plan"
plan=false
[ "$1" = --plan ] && plan=true

# The Dockerfile as one instruction a line: continuations joined, comments and blank lines dropped.
instructions=()
current=''
while IFS= read -r line || [ -n "$line" ]; do
  if [ -z "$current" ] && [[ "$line" =~ ^[[:space:]]*(#|$) ]]; then continue; fi
  if [[ "$line" =~ ^(.*)\\[[:space:]]*$ ]]; then
    current+="${BASH_REMATCH[1]}"
    continue
  fi
  current+="$line"
  instructions+=("$(sed -E 's/^[[:space:]]+//; s/[[:space:]]+$//; s/[[:space:]]+/ /g' <<<"$current")")
  current=''
done <"$dockerfile"

# Stages by name; the final stage is the runtime, and the stage its `COPY --from=` names is the build.
declare -A stage_of
stage=-1
declare -a stage_names
for i in "${!instructions[@]}"; do
  ins=${instructions[$i]}
  if [[ "${ins^^}" =~ ^FROM\  ]]; then
    stage=$((stage + 1))
    name=''
    [[ "$ins" =~ [[:space:]][Aa][Ss][[:space:]]+([^[:space:]]+)$ ]] && name=${BASH_REMATCH[1]}
    stage_names[$stage]=$name
  fi
  stage_of[$i]=$stage
done
final=$stage
[ "$final" -ge 1 ] || die "expected a build stage and a runtime stage"
build_name=''
for i in "${!instructions[@]}"; do
  [ "${stage_of[$i]}" = "$final" ] || continue
  if [[ "${instructions[$i]}" =~ ^COPY\ .*--from=([^[:space:]]+) ]]; then build_name=${BASH_REMATCH[1]}; fi
done
[ -n "$build_name" ] || die "the runtime stage copies nothing from a build stage"
build=-1
for s in "${!stage_names[@]}"; do [ "${stage_names[$s]}" = "$build_name" ] && build=$s; done
[ "$build" -ge 0 ] || die "no stage named $build_name"

work=''
if ! $plan; then
  out=$(mkdir -p "$1" && cd "$1" && pwd)
  [ -z "$(ls -A "$out")" ] || die "$out is not empty"
  work=$(mktemp -d "${TMPDIR:-/tmp}/todo-image-build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # The build context: the repository's files as git sees them (tracked and new, never ignored), less .dockerignore.
  mkdir -p "$work/context" "$work/fs"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
    tar --null -T - -cf -) | tar -xf - -C "$work/context"
  while IFS= read -r pattern || [ -n "$pattern" ]; do
    pattern=${pattern%%#*}
    pattern=$(echo "$pattern" | sed -E 's/^[[:space:]]+//; s/[[:space:]]+$//; s#^/##')
    [ -n "$pattern" ] || continue
    case "$pattern" in *'**'* | '!'*) die ".dockerignore pattern '$pattern' is not understood here" ;; esac
    (cd "$work/context" && for match in $pattern; do if [ -e "$match" ]; then rm -rf -- "$match"; fi; done)
  done <"$root/.dockerignore"
fi

# A path inside a stage's filesystem, relative paths taken from its WORKDIR.
resolve() { case "$1" in /*) echo "$1" ;; *) echo "${2%/}/$1" ;; esac; }

# Docker's COPY: a folder's contents go into the destination; files go into it when it ends in / or there are many.
copy() {
  local dst=$1; shift
  local many=false
  [ $# -gt 1 ] && many=true
  for src in "$@"; do
    [ -e "$src" ] || die "COPY source not found: $src"
    if [ -d "$src" ]; then
      mkdir -p "$dst"
      cp -a "$src/." "$dst/"
    elif $many || [[ "$dst" == */ ]] || [ -d "$dst" ]; then
      mkdir -p "$dst"
      cp -a "$src" "$dst/"
    else
      mkdir -p "$(dirname "$dst")"
      cp -a "$src" "$dst"
    fi
  done
}

workdir=/
for i in "${!instructions[@]}"; do
  [ "${stage_of[$i]}" = "$build" ] || continue
  ins=${instructions[$i]}
  keyword=${ins%% *}
  args=${ins#* }
  case "${keyword^^}" in
    FROM) $plan && echo "$ins" ;;
    WORKDIR)
      workdir=$(resolve "$args" "$workdir")
      if $plan; then echo "WORKDIR $workdir"; else mkdir -p "$work/fs$workdir"; fi
      ;;
    ARG | ENV)
      read -r -a pairs <<<"$args"
      for pair in "${pairs[@]}"; do
        [[ "$pair" =~ ^[A-Za-z_][A-Za-z0-9_]*(=[^\"\'\$]*)?$ ]] || die "$keyword $pair: only NAME or NAME=plain-value is understood here"
        if $plan; then echo "${keyword^^} $pair"; elif [[ "$pair" == *=* ]]; then export "$pair"; fi
      done
      ;;
    COPY)
      read -r -a words <<<"$args"
      files=()
      for w in "${words[@]}"; do
        case "$w" in
          --link | --chown=* | --chmod=*) ;;
          --*) die "COPY $w is not understood here" ;;
          *) files+=("$w") ;;
        esac
      done
      [ ${#files[@]} -ge 2 ] || die "COPY needs a source and a destination: $ins"
      dst=${files[-1]}
      unset 'files[-1]'
      if $plan; then
        echo "COPY ${files[*]} $dst"
      else
        srcs=()
        for f in "${files[@]}"; do srcs+=("$work/context/${f#/}"); done
        target=$(resolve "$dst" "$workdir")
        copy "$work/fs$target$([[ "$dst" == */ ]] && echo /)" "${srcs[@]}"
      fi
      ;;
    RUN)
      command=$args
      while [[ "$command" =~ ^--(mount|network|security)=[^[:space:]]+[[:space:]]+(.*)$ ]]; do command=${BASH_REMATCH[2]}; done
      [[ "$command" != --* ]] || die "RUN flag not understood here: $command"
      [[ "$command" != \[* ]] || die "RUN in exec form is not understood here: $command"
      # Only the stage's own folders map to this machine: an absolute path would reach outside the temporary folder.
      [[ ! "$command" =~ (^|[[:space:]=])/ ]] || die "RUN with an absolute path cannot run here; use a path under WORKDIR: $command"
      if $plan; then
        echo "RUN $command"
      else
        printf '\n== RUN %s\n' "$command" >&2
        (cd "$work/fs$workdir" && sh -c "$command") >&2
      fi
      ;;
    *) die "instruction not understood here: $ins" ;;
  esac
done

# What the runtime stage takes from the build stage, into OUT (its WORKDIR).
runtime_workdir=/
for i in "${!instructions[@]}"; do
  [ "${stage_of[$i]}" = "$final" ] || continue
  ins=${instructions[$i]}
  if [[ "${ins^^}" =~ ^WORKDIR\  ]]; then runtime_workdir=$(resolve "${ins#* }" "$runtime_workdir"); fi
  [[ "$ins" =~ ^COPY\ (.*)--from=$build_name\ (.*)$ ]] || continue
  read -r -a files <<<"${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
  for f in "${files[@]}"; do [[ "$f" != --* ]] || [[ "$f" =~ ^--(link|chown=.*|chmod=.*)$ ]] || die "COPY $f is not understood here"; done
  paths=()
  for f in "${files[@]}"; do [[ "$f" == --* ]] || paths+=("$f"); done
  dst=${paths[-1]}
  unset 'paths[-1]'
  target=$(resolve "$dst" "$runtime_workdir")
  [[ "$target/" == "${runtime_workdir%/}/"* ]] || die "the runtime stage copies outside its WORKDIR: $ins"
  if $plan; then
    echo "TAKE ${paths[*]} $dst"
  else
    srcs=()
    for p in "${paths[@]}"; do srcs+=("$work/fs$(resolve "$p" /)"); done
    copy "$out${target#"${runtime_workdir%/}"}$([[ "$dst" == */ ]] && echo /)" "${srcs[@]}"
  fi
done

if ! $plan; then
  printf '\n== image files in %s (everything but the base image)\n' "$out" >&2
  (cd "$out" && du -sk -- * | sort -rn | awk '{ printf "%8.1f MiB  %s\n", $1 / 1024, $2 }') >&2
  du -sk "$out" | awk '{ printf "%8.1f MiB  total\n", $1 / 1024 }' >&2
fi
