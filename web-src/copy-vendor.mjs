// Copy the vendored front-end assets from node_modules into the Python package.
// Run with `npm ci && npm run vendor` in web-src/; the output is committed so that
// `pip install polybius` never needs npm or a network connection.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "src", "polybius", "web", "static", "vendor");

const packages = {
  "swagger-ui-dist": {
    dest: "swagger-ui",
    files: [
      "swagger-ui-bundle.js",
      "swagger-ui.css",
      "swagger-ui-bundle.js.LICENSE.txt",
      "favicon-32x32.png",
      "LICENSE",
      "NOTICE",
    ],
  },
};

for (const [name, spec] of Object.entries(packages)) {
  const src = join(here, "node_modules", name);
  const dest = join(vendor, spec.dest);
  mkdirSync(dest, { recursive: true });
  for (const file of spec.files) {
    copyFileSync(join(src, file), join(dest, file));
  }
  // Drop source-map comments: the maps are not shipped.
  for (const file of spec.files.filter((f) => f.endsWith(".js") || f.endsWith(".css"))) {
    const path = join(dest, file);
    const text = readFileSync(path, "utf8").replace(/\n?\/[/*]# sourceMappingURL=\S+(\s*\*\/)?\s*$/, "\n");
    writeFileSync(path, text);
  }
  const version = JSON.parse(readFileSync(join(src, "package.json"), "utf8")).version;
  writeFileSync(join(dest, "VERSION"), `${name} ${version}\n`);
  console.log(`vendored ${name} ${version} -> ${dest}`);
}
