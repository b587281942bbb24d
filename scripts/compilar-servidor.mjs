// Compiles servidor.ts (and the lib/ code it uses) into one ES module, .next/servidor.mjs, so `npm start`
// runs plain JavaScript in its own process: no TypeScript loader at run time. Packages stay in node_modules.
import { build } from "esbuild";
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const SAIDA_SERVIDOR = path.join(".next", "servidor.mjs");
/** What the compiled server is made of: newer sources mean compiling again. */
export const FONTES_SERVIDOR = ["servidor.ts", "lib", "db"];

/**
 * `import "server-only"` marks the modules that must never reach a browser bundle; Next checks the mark. Its
 * package throws unless resolved with the `react-server` condition, which plain Node does not use here (it would
 * also change how React resolves): the compiled server gets an empty module in its place.
 */
const marcaServerOnly = {
  name: "server-only",
  setup(build) {
    build.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "marca-server-only" }));
    build.onLoad({ filter: /.*/, namespace: "marca-server-only" }, () => ({ contents: "", loader: "js" }));
  },
};

export async function compilarServidor(raiz = path.resolve(import.meta.dirname, "..")) {
  const saida = path.join(raiz, SAIDA_SERVIDOR);
  const r = await build({
    entryPoints: [path.join(raiz, "servidor.ts")],
    outfile: saida,
    absWorkingDir: raiz,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    plugins: [marcaServerOnly],
    tsconfig: path.join(raiz, "tsconfig.json"),
    logLevel: "warning",
    write: false,
    banner: { js: "// Gerado por scripts/compilar-servidor.mjs a partir de servidor.ts: não edite." },
  });
  // Written whole, then renamed: several apps starting at once never import a half-written file.
  const temporario = `${saida}.${process.pid}.tmp`;
  writeFileSync(temporario, r.outputFiles[0].contents);
  renameSync(temporario, saida);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await compilarServidor();
