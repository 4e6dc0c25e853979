#!/bin/sh
# `make vendor`: copy the NL Design System component CSS (Gemeente Utrecht) from the npm
# registry into static/vendor/utrecht/ and record version, licence and checksums in VERSIONS.
# The committed files are what runs: no CDN, no download at run time. Needs npm.
#
# Not vendored on purpose: @utrecht/design-tokens (5.0.1). Its LICENSE.md says "The open
# source license does NOT apply ... proprietary assets to Gemeente Utrecht": those are
# Utrecht's brand. Our tokens are our own, in static/css/theme.css (docs/theme.md).
set -eu
COMPONENTS="@utrecht/component-library-css@9.0.4"
DEST="static/vendor/utrecht"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "$COMPONENTS" >/dev/null)
mkdir -p "$WORK/components" "$DEST"
tar xzf "$WORK"/utrecht-component-library-css-*.tgz -C "$WORK/components"

# Only the CSS (all components in one file) and the licence.
cp "$WORK/components/package/dist/index.css" "$DEST/component-library.css"
cp "$WORK/components/package/LICENSE.md" "$DEST/LICENSE-component-library.md"

package="$WORK/components/package/package.json"
{
  echo "# Vendored by scripts/vendor-utrecht.sh (make vendor). Do not edit by hand."
  echo "@utrecht/component-library-css $(node -p "require('$package').version")" \
       "licence $(node -p "require('$package').license") (LICENSE-component-library.md)"
  echo "  component-library.css <- package/dist/index.css"
  echo "  archive sha256 $(sha256sum "$WORK"/utrecht-component-library-css-*.tgz | cut -d' ' -f1)"
  echo "  file sha256 $(sha256sum "$DEST/component-library.css" | cut -d' ' -f1)"
  echo "@utrecht/design-tokens 5.0.1: NOT vendored (its LICENSE.md: proprietary assets of"
  echo "  Gemeente Utrecht, the open source licence does not apply); our tokens: static/css/theme.css"
} > "$DEST/VERSIONS"
echo "vendored into $DEST:"; cat "$DEST/VERSIONS"
