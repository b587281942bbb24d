import "server-only";
import { buscarLinha, lerId } from "../provedores/linha-do-provedor";
import { quadroSSE, streamDeEventos } from "../protocolo/sse";
import type { Benchmark } from "../schemas/benchmark";
import { lerLinha, lerLinhaPorId } from "./armazenamento";
import { comoEsta } from "./consultar";
import { execucaoDe, idsEmExecucao } from "./execucoes";
import { marcarInterrompidos } from "./interrompidos";

/** A page following a run of another instance reads its row this often. */
const LEITURA_MS = 1000;

const quadro = (b: Benchmark) => quadroSSE(JSON.stringify(b));

/**
 * GET …/benchmarks/{bid}/eventos: SSE, one `data:` event with the whole run at connect, then one after each
 * request done, then the final one (equal to GET's body) and the stream closes. A run of this process is heard
 * as it goes; one of another instance is read from its row every second. A finished run: one event, closed.
 */
export async function eventosDoBenchmark(provedorId: number, bid: number, sinal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const provedor = await buscarLinha(lerId(provedorId));
  await marcarInterrompidos(idsEmExecucao());
  const linha = await lerLinha(provedor.id, lerId(bid));
  const ex = linha.estado === "executando" ? execucaoDe(linha.id) : undefined;
  if (ex) {
    return streamDeEventos(sinal, (enviar, fechar) => {
      const ouvir = (b: Benchmark) => {
        enviar(quadro(b));
        if (b.estado !== "executando") fechar();
      };
      ex.ouvintes.add(ouvir);
      ouvir(ex.dados);
      return () => ex.ouvintes.delete(ouvir);
    });
  }
  const primeiro = comoEsta(linha);
  return streamDeEventos(sinal, (enviar, fechar) => {
    enviar(quadro(primeiro));
    if (primeiro.estado !== "executando") {
      fechar();
      return () => {};
    }
    let ultimo = JSON.stringify(primeiro);
    let lendo = false;
    const leitura = setInterval(() => {
      if (lendo) return;
      lendo = true;
      marcarInterrompidos(idsEmExecucao())
        .then(() => lerLinhaPorId(linha.id))
        .then((l) => {
          if (!l) return fechar();
          const b = comoEsta(l);
          const texto = JSON.stringify(b);
          if (texto !== ultimo) {
            ultimo = texto;
            enviar(quadro(b));
          }
          if (b.estado !== "executando") fechar();
        })
        .catch(() => {})
        .finally(() => (lendo = false));
    }, LEITURA_MS);
    return () => clearInterval(leitura);
  });
}
