// Builds Commonweal's front end into commonweal/static/ (git-ignored, served by whitenoise).
//
//   npm run build
//
// 1. Compiles static_src/scss/commonweal.scss (GOV.UK Frontend restyled for Commonweal) to
//    commonweal/static/commonweal/commonweal.css, plus the print stylesheet.
// 2. Copies our scripts from static_src/js/ to commonweal/static/commonweal/.
// 3. Copies the vendored libraries from node_modules into commonweal/static/vendor/: GOV.UK Frontend's
//    JavaScript (an ES module) and images (not its fonts: Commonweal uses system fonts), htmx and Leaflet.
//
// Nothing is fetched at run time: every file the pages need is served from our own origin.

import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "static_src");
const out = join(root, "commonweal", "static");
const modules = join(root, "node_modules");

function copy(from, to) {
  const source = join(modules, from);
  try {
    statSync(source);
  } catch {
    throw new Error(`${relative(root, source)} is missing: run \`npm ci\` first`);
  }
  mkdirSync(dirname(to), { recursive: true });
  cpSync(source, to, { recursive: true });
}

function compile(entry, target) {
  const result = sass.compile(join(src, "scss", entry), {
    style: "compressed",
    sourceMap: false,
    importers: [new sass.NodePackageImporter(root)],
    loadPaths: [join(src, "scss")],
    // GOV.UK Frontend's own deprecation notices are not ours to fix.
    quietDeps: true,
  });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, result.css + "\n");
  return result.css.length;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const own = join(out, "commonweal");
const sizes = {
  "commonweal/commonweal.css": compile("commonweal.scss", join(own, "commonweal.css")),
  "commonweal/print.css": compile("print.scss", join(own, "print.css")),
};
for (const name of readdirSync(join(src, "js"))) {
  cpSync(join(src, "js", name), join(own, name));
}
cpSync(join(src, "images"), join(own, "images"), { recursive: true });

const vendor = join(out, "vendor");
// The source maps travel with the scripts: collectstatic's manifest storage follows sourceMappingURL.
for (const name of ["govuk-frontend.min.js", "govuk-frontend.min.js.map"]) {
  copy(`govuk-frontend/dist/govuk/${name}`, join(vendor, "govuk-frontend", name));
}
copy("govuk-frontend/dist/govuk/assets/images", join(vendor, "govuk-frontend", "assets", "images"));
copy("htmx.org/dist/htmx.min.js", join(vendor, "htmx", "htmx.min.js"));
copy("leaflet/dist", join(vendor, "leaflet"));
for (const name of [
  "leaflet.markercluster.js",
  "leaflet.markercluster.js.map",
  "MarkerCluster.css",
  "MarkerCluster.Default.css",
]) {
  copy(`leaflet.markercluster/dist/${name}`, join(vendor, "leaflet.markercluster", name));
}

for (const [name, size] of Object.entries(sizes)) {
  console.log(`built ${name} (${Math.round(size / 1024)} kB)`);
}
console.log(`copied vendor files to ${relative(root, vendor)}/`);
