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
const { aplicarMigracoes } = await import("@/lib/provedores/completar-migracao");
const { criarProvedor } = await import("@/lib/provedores/criar");
const { pararMonitor, verificarProvedor } = await import("@/lib/monitor/verificacoes");
const { provedorMudou } = await import("@/lib/saude/mudancas");
const { acompanhar } = await import("@/lib/saude/estado");
const { observar } = await import("@/lib/saude/observar");
const { eventosStatus } = await import("@/db/schema");

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

describe("status writes across a change of the provider", () => {
  it("a write the given-up entry queued lands before the new entry's: the row keeps the new server's status", async () => {
    const { id } = await criarProvedor({
      nome: "Ollama trocado",
      tipo: "ollama",
      base_url: "http://127.0.0.1:9",
      intervalo_verificacao_segundos: 3600,
    });
    const linha = { id, nome: "Ollama trocado", status: "desconhecido" as const, falhas_seguidas: 0, intervalo_verificacao_segundos: 3600 };
    const em = new Date();
    acompanhar(linha);
    // The old server: two observations, the second waiting behind the first on the provider's write chain.
    const antigas = [
      observar(id, { ok: true, carregando: false, latenciaMs: 5 }, { em, latencia_ms: 5 }),
      observar(id, { ok: false, codigo: "provedor_indisponivel", motivo: "Recusou.", decisiva: true }, { em, latencia_ms: null }),
    ];
    // The edit: the entry is forgotten, and the new check follows the provider from the row it read.
    provedorMudou(id);
    acompanhar(linha);
    const nova = observar(id, { ok: true, carregando: false, latenciaMs: 7 }, { em: new Date(em.getTime() + 1), latencia_ms: 7 });
    await Promise.all([...antigas, nova]);
    const [gravada] = await db()
      .select({ status: provedoresLlm.status, latencia: provedoresLlm.ultima_latencia_ms })
      .from(provedoresLlm)
      .where(eq(provedoresLlm.id, id));
    expect(gravada).toEqual({ status: "online", latencia: 7 });
    const eventos = await db().select({ para: eventosStatus.para }).from(eventosStatus).where(eq(eventosStatus.provedor_id, id));
    expect(eventos.at(-1)?.para).toBe("online");
  });
});

describe("a check under way when the monitor stops (the shutdown)", () => {
  // Last in this file: the monitor stays stopped.
  it("a check still reading its row when pararMonitor runs records nothing: no failure, no status event", async () => {
    const { id } = await criarProvedor({
      nome: "Ollama na parada",
      tipo: "ollama",
      // Nothing listens there: a check that went on would record a refused connection.
      base_url: "http://127.0.0.1:9",
      intervalo_verificacao_segundos: 3600,
    });
    const emLeitura = verificarProvedor(id);
    pararMonitor();
    expect(await emLeitura).toBeNull();
    const [linha] = await db()
      .select({ status: provedoresLlm.status, falhas: provedoresLlm.falhas_seguidas, testado: provedoresLlm.ultimo_teste_em })
      .from(provedoresLlm)
      .where(eq(provedoresLlm.id, id));
    expect(linha).toEqual({ status: "desconhecido", falhas: 0, testado: null });
    expect(await db().select().from(eventosStatus).where(eq(eventosStatus.provedor_id, id))).toEqual([]);
  });
});
