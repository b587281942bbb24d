import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OllamaFalso } from "../servidores/ollama";

// The monitor's check against a real libSQL file and real HTTP servers, in this process: the only way to land
// an edit exactly while a check is reading the provider's row.
const pasta = mkdtempSync(path.join(tmpdir(), "monitor-geracao-"));
process.env.DATABASE_URL = `file:${path.join(pasta, "provedores-llm.db")}`;

const { db } = await import("@/db/client");
const { provedoresLlm } = await import("@/db/schema");
const { aplicarMigracoes } = await import("@/db/migrar");
const { criarProvedor } = await import("@/lib/provedores/criar");
const { provedorMudou, verificarProvedor } = await import("@/lib/monitor/monitor");

const versoes = (s: OllamaFalso) => s.recebidas.filter((r) => r.caminho === "/api/version").length;

describe("the monitor's check and an edit of its provider", () => {
  let antigo: OllamaFalso;
  let novo: OllamaFalso;
  beforeAll(async () => {
    await aplicarMigracoes();
    [antigo, novo] = await Promise.all([new OllamaFalso().iniciar(), new OllamaFalso().iniciar()]);
  });
  afterAll(async () => {
    await Promise.all([antigo.parar(), novo.parar()]);
    rmSync(pasta, { recursive: true, force: true });
  });

  it("an edit landing while a check reads the row: that check gives up (null), and the check the edit starts is not skipped", async () => {
    const { id } = await criarProvedor({
      nome: "Ollama editado",
      tipo: "ollama",
      base_url: antigo.url,
      intervalo_verificacao_segundos: 3600,
    });
    // The old server is slow: a check of it would still be running when the edit's own check starts.
    await antigo.definirFalha("lento", 1000);
    // The check reads the row and gets the old address (a remote database may answer so even after the write)…
    const emLeitura = verificarProvedor(id);
    // …and the edit lands before that read answers: the change is announced and the new address written.
    provedorMudou(id);
    await db().update(provedoresLlm).set({ base_url: novo.url, status: "desconhecido" }).where(eq(provedoresLlm.id, id));
    // What the edit schedules, as the running monitor does.
    const posEdicao = verificarProvedor(id);
    const [dadoPorVencido, daEdicao] = await Promise.all([emLeitura, posEdicao]);
    await antigo.definirFalha(null);
    // the old address was never checked, the new one at once
    expect(versoes(antigo)).toBe(0);
    expect(versoes(novo)).toBe(1);
    // given up: no next check at the old interval from it
    expect(dadoPorVencido).toBeNull();
    expect(daEdicao).toBe(3600_000);
    const [linha] = await db().select({ status: provedoresLlm.status }).from(provedoresLlm).where(eq(provedoresLlm.id, id));
    expect(linha?.status).toBe("online");
  });
});
