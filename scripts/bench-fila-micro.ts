// The queue's own cost on a request that does not wait, in this process (`npm run bench` runs it with
// `tsx --conditions=react-server`): `filaDo(linha).entrar(…)` then `liberar()`, as lib/gateway/tentar.ts does per
// attempt, 10⁶ pairs on a provider without a limit and on one with a limit far above the load. Prints one JSON
// line: nanoseconds per pair of each.
import type { ProvedorLLMLinha } from "@/db/schema";
import { filaDo } from "@/lib/fila";

const PARES = Number(process.argv[2] ?? 1_000_000);

function linha(id: number, max_concorrencia: number): ProvedorLLMLinha {
  return {
    id,
    nome: `micro-${id}`,
    tipo: "llama_cpp",
    max_concorrencia,
    concorrencia_informada: null,
    modelos_simultaneos_informados: null,
    fila_max: 64,
    fila_espera_segundos: 60,
  } as ProvedorLLMLinha;
}

/**
 * ns of this process's CPU per pair (user + system: on a shared machine the wall clock also counts the time the
 * process was not running); the place is taken and given back at once, so the queue never waits.
 */
function medir(l: ProvedorLLMLinha, pares: number): number {
  const inicio = process.cpuUsage();
  for (let i = 0; i < pares; i++) {
    const vaga = filaDo(l).entrar("bench-fila", 0, undefined);
    if (vaga instanceof Promise) throw new Error("a fila fez esperar uma requisição sem carga");
    vaga.liberar();
  }
  const uso = process.cpuUsage(inicio);
  return ((uso.user + uso.system) * 1000) / pares;
}

const semLimite = linha(1, 0);
const limiteAlto = linha(2, 10_000);
// Warm-up (the JIT), then each side in turn, the best of three: the machine's noise only ever adds.
medir(semLimite, PARES / 10);
medir(limiteAlto, PARES / 10);
const resultados = { semLimite: Number.POSITIVE_INFINITY, limiteAlto: Number.POSITIVE_INFINITY };
for (let rodada = 0; rodada < 3; rodada++) {
  resultados.semLimite = Math.min(resultados.semLimite, medir(semLimite, PARES));
  resultados.limiteAlto = Math.min(resultados.limiteAlto, medir(limiteAlto, PARES));
}
console.log(JSON.stringify({ pares: PARES, ns_sem_limite: resultados.semLimite, ns_limite_alto: resultados.limiteAlto }));
