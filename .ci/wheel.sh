#!/usr/bin/env bash
# The package as an agency installs it before it is on an index: the sdist and the wheel built from
# this commit (python -m build), the wheel installed alone in a fresh venv, used from a folder
# outside the checkout on reports written here. The wheel ships rules/ and grammars/, no examples.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-.venv/bin/python}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$PY" -m build --sdist --wheel --outdir "$tmp/dist" . >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
ls "$tmp"/dist/xxgk_checker-*.whl "$tmp"/dist/xxgk_checker-*.tar.gz >/dev/null
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet "$tmp"/dist/xxgk_checker-*.whl 2>&1 | grep -v "^WARNING: Location" || true
X="$tmp/venv/bin/xxgk"
mkdir "$tmp/work"; cd "$tmp/work"
"$X" --version
fail() { echo "wheel check FAILED: $*" >&2; exit 1; }
# the blank official form, unfilled: its placeholders and empty tables are findings (exit 1)
"$X" template --year 2024 --agency-kind department -o blank.md
set +e; "$X" check blank.md --format json -o out.json -qq; code=$?; set -e
[ "$code" = 1 ] || fail "the blank form exited $code, not 1"
"$tmp/venv/bin/python" - <<'EOF' || fail "the blank form's findings"
import json
found = {f["code"] for d in json.load(open("out.json"))["documents"] for f in d["findings"]}
assert {"Q705", "T204"} <= found, found
EOF
# a short report that has lost its sections: S101 on it, at its first line
printf '某县统计局2024年政府信息公开工作年度报告\n\n本年度我局认真贯彻落实《中华人民共和国政府信息公开条例》。\n' > short.txt
set +e; out="$("$X" check short.txt --format concise)"; code=$?; set -e
[ "$code" = 1 ] || fail "short.txt exited $code"
grep -q "^short.txt:[0-9]*:[0-9]*: S101 " <<<"$out" || fail "no S101 in: $out"
# explain points at no file the wheel lacks
# (captured first: grep -q closes the pipe early, and pipefail would count xxgk's broken pipe)
explained="$("$X" explain A301)"
grep -q "安装包未附带" <<<"$explained" || fail "explain A301 does not say the examples are not installed: $explained"
if grep -q '`examples/' <<<"$explained"; then fail "explain A301 points at examples/"; fi
echo "the wheel alone: passed"
