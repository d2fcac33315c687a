#!/bin/sh
# Lays out the image's files in $1 from a checkout where `npm run build` has run: the bundles, the web
# assets, and the few packages read at run time. The Dockerfile's build stage runs it (and so does .ci/image-build.sh,
# which runs that stage here).
set -eu
out="$1"
mkdir -p "$out/node_modules/htmx.org/dist" "$out/node_modules/swagger-ui-dist" "$out/node_modules/@electric-sql" "$out/views"
cp -r dist "$out/dist"
cp -r migrations "$out/migrations"
cp -r views/assets "$out/views/assets"
cp node_modules/htmx.org/dist/htmx.min.js "$out/node_modules/htmx.org/dist/"
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css "$out/node_modules/swagger-ui-dist/"
# The embedded database, loaded only without DATABASE_URL: its ESM build and the pg_trgm and btree_gin extensions.
cp -r node_modules/@electric-sql/pglite "$out/node_modules/@electric-sql/pglite"
cd "$out/node_modules/@electric-sql/pglite"
find . -type f \( -name '*.cjs' -o -name '*.map' -o -name '*.d.ts' -o -name '*.d.cts' -o -name '*.md' \) -delete
find dist -maxdepth 1 -name '*.tar.gz' ! -name 'pg_trgm.tar.gz' ! -name 'btree_gin.tar.gz' -delete
