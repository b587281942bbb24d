// `npm test`: the whole suite on a fresh machine — browser check, build, unit + integration (libSQL file
// and sqld), then the browser tests in Chromium. Ends with one "N passed, N failed" line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { compilarServidor } from "./compilar-servidor.mjs";

const raiz = path.resolve(import.meta.dirname, "..");
const tmp = path.join(raiz, ".tmp");
const bin = (nome) => path.join(raiz, "node_modules", ".bin", nome);

function rodar(comando, args, opcoes = {}) {
  console.log(`\n$ ${[comando, ...args].join(" ")}`);
  return spawnSync(comando, args, { cwd: raiz, stdio: "inherit", ...opcoes }).status ?? 1;
}

function garantirChromium() {
  const caminho = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (existsSync(caminho)) return caminho;
  const root = process.getuid?.() === 0;
  if (root && existsSync("/usr/bin/apt-get")) {
    console.log("Chromium não encontrado: instalando o pacote 'chromium' do Debian…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    if (
      rodar("apt-get", ["update", "-qq"], { env }) === 0 &&
      rodar("apt-get", ["install", "-y", "-qq", "chromium"], { env }) === 0 &&
      existsSync(caminho)
    ) {
      return caminho;
    }
  }
  console.error(
    `Chromium não encontrado em ${caminho}. Instale-o (Debian/Ubuntu: sudo apt-get install chromium) ` +
      "ou aponte CHROMIUM_PATH para o executável.",
  );
  process.exit(1);
}

const chromium = garantirChromium();
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

const inicio = Date.now();
// Lint and format first (Biome): a finding fails the suite, which still runs to the end.
const statusBiome = rodar(bin("biome"), ["ci", "."]);
if (statusBiome !== 0) console.error("Biome encontrou problemas de lint ou formatação: rode `npm run formatar` e veja `npm run lint`.");
if (rodar(process.execPath, [path.join(raiz, "node_modules/next/dist/bin/next"), "build"]) !== 0) {
  console.error("O build falhou; os testes não foram executados.");
  process.exit(1);
}
await compilarServidor(raiz);

const vitestJson = path.join(tmp, "vitest.json");
const statusVitest = rodar(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);

const playwrightJson = path.join(tmp, "playwright.json");
const statusPlaywright = rodar(bin("playwright"), ["test", "--reporter=list,json"], {
  env: { ...process.env, CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
});

function lerJson(arquivo) {
  try {
    return JSON.parse(readFileSync(arquivo, "utf8"));
  } catch {
    return null;
  }
}
const v = lerJson(vitestJson);
const p = lerJson(playwrightJson);
const passou = (v?.numPassedTests ?? 0) + (p?.stats?.expected ?? 0);
const falhou = (v?.numFailedTests ?? 0) + (p?.stats?.unexpected ?? 0) + (p?.stats?.flaky ?? 0);
const pulou = (v?.numPendingTests ?? 0) + (v?.numTodoTests ?? 0) + (p?.stats?.skipped ?? 0);
const ok = statusBiome === 0 && statusVitest === 0 && statusPlaywright === 0 && v !== null && p !== null;

console.log(`\nSuíte completa em ${Math.round((Date.now() - inicio) / 1000)} s (build incluído).`);
console.log(`${passou} passed, ${ok ? falhou : Math.max(falhou, 1)} failed, ${pulou} skipped`);
process.exit(ok ? 0 : 1);
