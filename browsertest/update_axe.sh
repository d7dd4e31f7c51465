#!/usr/bin/env bash
# Vendors axe-core's axe.min.js into testdata/ from the npm registry (run by
# `go generate ./browsertest`), after checking that its licence is still
# MPL-2.0. The tests themselves never need the network.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent axe-core@4 >/dev/null && tar xzf axe-core-*.tgz)
licence=$(node -p 'require(process.argv[1]).license' "$tmp/package/package.json")
version=$(node -p 'require(process.argv[1]).version' "$tmp/package/package.json")
if [ "$licence" != "MPL-2.0" ]; then
  echo "axe-core $version is licensed $licence, not MPL-2.0: not vendored" >&2
  exit 1
fi
cp "$tmp/package/axe.min.js" testdata/axe.min.js
cp "$tmp/package/LICENSE" testdata/axe-core.LICENSE
cp "$tmp/package/LICENSE-3RD-PARTY.txt" testdata/axe-core.LICENSE-3RD-PARTY.txt
echo "axe-core $version (npm pack axe-core@4), $licence; axe.min.js unmodified. Refresh: go generate ./browsertest" > testdata/axe-core.VERSION
echo "vendored axe-core $version"
