// The bench's swaps phase: what the queue's swap-aware order saves on a server that keeps one model loaded.
// llama-server in router mode (`--models-max 1`, a load of LOAD_MS) is the test server of the suite, run here in
// this process so its loads can be counted; the app reaches it over real HTTP.
import { LlamaCppRoteadorFalso } from "../tests/servidores/llama-cpp-roteador";
import { percentil } from "./bench-comum";

const CARGA_MS = 300;
const POR_PROGRAMA = 6;
const GERACAO_MS = 150;

type Lado = { viaApp: boolean; cargas: number; cortadas: number; status: number[]; filaMs: number[]; segundos: number };

async function criarProvedor(urlApp: string, corpo: Record<string, unknown>): Promise<{ id: number }> {
  const r = await fetch(`${urlApp}/api/provedores-llm`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(corpo),
  });
  if (r.status !== 201) throw new Error(`cadastro de ${String(corpo.nome)}: HTTP ${r.status} ${await r.text()}`);
  const p = (await r.json()) as { id: number };
  const t = await fetch(`${urlApp}/api/provedores-llm/${p.id}/testar`, { method: "POST" });
  if (t.status !== 200) throw new Error(`teste de conexão de ${String(corpo.nome)}: HTTP ${t.status}`);
  await t.arrayBuffer();
  return p;
}

/** Two programs, each sending its next request when the last is answered, one on each model of one router. */
async function doisProgramas(urlApp: string | null, nome: string): Promise<Lado> {
  const modelos = [`${nome}-a`, `${nome}-b`];
  const roteador = new LlamaCppRoteadorFalso({
    modelos: modelos.map((id) => ({ id })),
    resposta: "Uma resposta curta.",
    modelosMax: 1,
    cargaMs: CARGA_MS,
  });

  await roteador.iniciar();
  // An answer takes this long to generate, so the two programs' requests overlap as with real weights.
  await roteador.definirFalha("lento", GERACAO_MS);
  try {
    // Through the app (a provider with its automatic limit), or straight to the server.
    const base = urlApp ?? roteador.url;
    if (urlApp) await criarProvedor(urlApp, { nome, tipo: "llama_cpp", base_url: roteador.url });
    const inicio = performance.now();
    const status: number[] = [];
    const filaMs: number[] = [];
    await Promise.all(
      modelos.map(async (modelo) => {
        for (let i = 0; i < POR_PROGRAMA; i++) {
          // A request the server cut (its model unloaded for the other's load) counts as status 0.
          const r = await fetch(`${base}/v1/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ model: modelo, messages: [{ role: "user", content: "Oi" }], stream: false }),
          }).catch(() => null);
          await r?.arrayBuffer().catch(() => {});
          status.push(r?.status ?? 0);
          filaMs.push(Number(r?.headers.get("x-provedores-llm-fila-ms") ?? 0));
        }
      }),
    );
    return {
      viaApp: urlApp !== null,
      cargas: roteador.cargas,
      cortadas: roteador.abortadasPorTroca,
      status,
      filaMs,
      segundos: (performance.now() - inicio) / 1000,
    };
  } finally {
    await roteador.parar();
  }
}

/**
 * "Trocas": the same two programs on two routers, one through the app (a provider with its automatic limit: the
 * swap-aware queue) and one straight to the server (what they get without the app's queue). Loads counted at the server.
 */
export async function medirTrocas(urlApp: string): Promise<[string, boolean][]> {
  const total = 2 * POR_PROGRAMA;
  console.log(
    `\nTrocas: llama-server em modo roteador (--models-max 1, carga de ${CARGA_MS} ms, resposta em ${GERACAO_MS} ms), dois programas em laço, ${POR_PROGRAMA} cada…`,
  );
  const comFila = await doisProgramas(urlApp, "bench-trocas-app");
  const semFila = await doisProgramas(null, "bench-trocas-direto");
  for (const [nome, l] of [
    ["pelo app (a fila)", comFila],
    ["direto ao servidor (sem repetir)", semFila],
  ] as const) {
    const ok = l.status.filter((s) => s === 200).length;
    console.log(
      `${nome.padEnd(32)} ${l.cargas} cargas para ${total} requisições, ${l.cortadas} cortada(s) por troca, ${ok}/${total} respondidas, ` +
        (l.viaApp ? `espera na fila p50 ${percentil(l.filaMs, 0.5).toFixed(0)} ms, máx. ${Math.max(...l.filaMs).toFixed(0)} ms; ` : "") +
        `${l.segundos.toFixed(1)} s ao todo`,
    );
  }
  return [
    [
      `trocas: com a fila ≤ 4 cargas para ${total} requisições, nenhuma cortada, todas respondidas (${comFila.cargas} cargas; direto ${semFila.cargas})`,
      comFila.cargas <= 4 && comFila.cortadas === 0 && comFila.status.every((s) => s === 200),
    ],
  ];
}
