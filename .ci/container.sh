#!/usr/bin/env bash
# The Containerfile built and run with Debian's podman. This machine reaches Debian's and PyPI's
# package archives but no image registry, so the base image is Debian bookworm made here by
# debootstrap, and the package's dependencies are downloaded beforehand and installed offline.
# Where podman cannot run a container on this machine at all, this says why and stops without
# failing; a failure to build or run the image itself fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
skip() { echo "container check not run: $*"; exit 0; }
NEED=""
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null 2>&1 || NEED="$NEED $tool"; done
if [ -n "$NEED" ]; then
  apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $NEED >/dev/null || skip "could not install$NEED"
fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
# podman as this sandbox allows: runc (crun refuses its hybrid cgroups), no ulimits to set
printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' > "$work/containers.conf"
export CONTAINERS_CONF="$work/containers.conf"
BASE=localhost/xxgk-ci/debian:bookworm
if ! podman image exists "$BASE"; then
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -5 "$work/debootstrap.log"; skip "debootstrap could not make a Debian base"; }
  tar -C "$work/rootfs" -c . | podman import --quiet - "$BASE" >/dev/null
  rm -rf "$work/rootfs"
fi
podman run --rm --network none "$BASE" true 2>"$work/run.log" || { cat "$work/run.log"; skip "podman cannot start a container here"; }

# the build context: this commit's files, and every wheel the package needs (installed offline)
mkdir "$work/context"
git archive HEAD | tar -x -C "$work/context"
.venv/bin/python -m pip download --quiet --dest "$work/context/wheels" "$work/context" hatchling 2>&1 | grep -v "^WARNING: Location" || true
podman build --quiet --network host --build-arg BASE="$BASE" --build-arg PIP_OPTIONS="--no-index --find-links /src/wheels" \
  -t localhost/xxgk-checker:ci "$work/context" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; echo "container check FAILED: the build" >&2; exit 1; }
fail() { echo "container check FAILED: $*" >&2; exit 1; }
run() { podman run --rm --network none -v "$ROOT/examples:/work:ro" localhost/xxgk-checker:ci "$@"; }
version="$(run --version)"; grep -q "xxgk-checker" <<<"$version" || fail "--version: $version"
run check clean-2021.md clean-2021.docx -q || fail "the clean examples did not pass"
set +e; run check defective-2021.docx --format concise >"$work/out.txt"; code=$?; set -e
[ "$code" = 1 ] && grep -q "defective-2021.docx:.* S10[0-9] \| A30[0-9] " "$work/out.txt" || { cat "$work/out.txt"; fail "the defective example gave $code"; }
office="$(podman run --rm --network none --entrypoint soffice localhost/xxgk-checker:ci --version)"
grep -q LibreOffice <<<"$office" || fail "no LibreOffice in the image: $office"
podman image rm --force localhost/xxgk-checker:ci >/dev/null
echo "the container image: built and passed"
