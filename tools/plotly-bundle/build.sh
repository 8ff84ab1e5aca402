#!/usr/bin/env bash
# Rebuild assessment/static/plotly-report.min.js: plotly.js's own modules (lib/core + the report's traces),
# bundled and minified by esbuild as plotly.js's dist bundles are (iife, global `Plotly`, es2016).
# The plotly.js version must be the one plotly.py embeds (plotly.offline.get_plotlyjs_version()).
# Needs node and npm; run once after a plotly upgrade or a new trace type in the report, then commit the file.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/entry.js" "$work/"
(cd "$work" && npm install --no-audit --no-fund >/dev/null)
# The maplibre stylesheet registry.js requires is for map traces only: dropped (--loader:.css=empty).
(cd "$work" && npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
  --define:global=window --define:define.amd=false --loader:.css=empty --legal-comments=none \
  --outfile=plotly-report.min.js --log-level=warning)
version="$(cd "$work" && node -p "require('plotly.js/package.json').version")"
{ printf '/* plotly.js v%s (MIT), partial bundle: scatter, bar, scatterpolar. Built by tools/plotly-bundle/build.sh */\n' "$version"
  cat "$work/plotly-report.min.js"; } > "$here/../../assessment/static/plotly-report.min.js"
ls -l "$here/../../assessment/static/plotly-report.min.js"
