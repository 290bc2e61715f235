#!/bin/sh
# Rebuilds the compiled front-end assets that are committed under thedeal/static/, so that running
# The Deal needs no Node. Run from this folder after changing thedeal.scss or a version in
# package.json:   npm ci && npm run build
set -eu
out=../thedeal/static
mkdir -p "$out/thedeal" "$out/govuk" "$out/vendor/leaflet/images"

# GOV.UK Frontend's Sass with the council's settings (system fonts, no GOV.UK crown or crest).
npx sass --no-source-map --style=compressed --load-path=node_modules --quiet-deps \
  thedeal.scss "$out/thedeal/thedeal.min.css"

# GOV.UK Frontend's components' JavaScript (an ES module) and its licence.
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk/"
# The npm package ships no licence file; its package.json says MIT (Crown copyright).
printf 'GOV.UK Frontend %s, MIT licence, (c) Crown copyright (Government Digital Service).\nhttps://github.com/alphagov/govuk-frontend/blob/main/LICENSE.txt\n' \
  "$(node -p 'require("govuk-frontend/package.json").version')" > "$out/govuk/LICENCE.txt"

# htmx 2, for progressive enhancement only: every page works without it.
cp node_modules/htmx.org/dist/htmx.min.js "$out/vendor/htmx.min.js"
cp node_modules/htmx.org/LICENSE "$out/vendor/htmx.LICENCE.txt"

# Leaflet for the results map (tiles come from the server in MAP_TILE_URL, if any).
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$out/vendor/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$out/vendor/leaflet/images/"
cp node_modules/leaflet/LICENSE "$out/vendor/leaflet/LICENCE.txt"
# The source maps are not shipped, so their references go: Django's collectstatic (manifest
# storage) refuses a file that points at a missing one.
for file in "$out"/govuk/*.js "$out"/vendor/*.js "$out"/vendor/leaflet/*.js "$out"/vendor/leaflet/*.css; do
  sed -i -e 's|//# sourceMappingURL=[^ ]*$||' -e 's|/\*# sourceMappingURL=[^*]*\*/||' "$file"
done
echo "Built $out"
