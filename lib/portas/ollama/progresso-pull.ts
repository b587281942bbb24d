import type { DownloadModelo } from "../../schemas/llm";

const linha = (o: unknown) => `${JSON.stringify(o)}\n`;

/**
 * The download's progress as Ollama's pull lines: `pulling manifest`, then `pulling <digest>` with total and
 * completed per layer as it grows (the model's name stands for the digest where the server reports no layers),
 * then `verifying sha256 digest`, `writing manifest`, `success`; or a final `{"error"}` line.
 */
export function linhasDoPull(anterior: DownloadModelo | null, atual: DownloadModelo): string {
  let texto = "";
  if (atual.camadas.length) {
    for (const c of atual.camadas) {
      const antes = anterior?.camadas.find((x) => x.id === c.id);
      if (antes && antes.baixados_bytes === c.baixados_bytes) continue;
      texto += linha({ status: `pulling ${c.id}`, digest: c.id, total: c.total_bytes, completed: c.baixados_bytes });
    }
  } else if (atual.total_bytes !== null && (anterior?.baixados_bytes !== atual.baixados_bytes || anterior?.total_bytes === null)) {
    texto += linha({
      status: `pulling ${atual.modelo}`,
      digest: atual.modelo,
      total: atual.total_bytes,
      completed: atual.baixados_bytes ?? 0,
    });
  }
  if (atual.estado === "concluido")
    texto += linha({ status: "verifying sha256 digest" }) + linha({ status: "writing manifest" }) + linha({ status: "success" });
  else if (atual.estado !== "baixando") texto += linha({ error: atual.erro ?? "O download foi cancelado." });
  return texto;
}
