import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

// The follower (lib/monitor/seguidor.ts) against a real libSQL file, in this process: another instance's writes are
// rows written here directly, as that instance would have written them.
const pasta = mkdtempSync(path.join(tmpdir(), "monitor-seguidor-"));
process.env.DATABASE_URL = `file:${path.join(pasta, "provedores-llm.db")}`;

const { db } = await import("@/db/client");
const { provedoresLlm } = await import("@/db/schema");
const { aplicarMigracoes } = await import("@/lib/provedores/completar-migracao");
const { criarProvedor } = await import("@/lib/provedores/criar");
const { pararMonitor } = await import("@/lib/monitor/verificacoes");
const { pararDeSeguir, seguirRodada } = await import("@/lib/monitor/seguidor");
const { acompanhar, gravacaoDeStatus } = await import("@/lib/saude/estado");
const { ouvir } = await import("@/lib/saude/eventos");
const { observar } = await import("@/lib/saude/observar");
type EventoMonitor = import("@/lib/saude/eventos").EventoMonitor;

type Status = "online" | "offline" | "instavel" | "desconhecido";

/** What another instance writes for a status change: the row and its event. */
async function outraInstanciaGrava(id: number, de: Status, para: Status, motivo: string): Promise<void> {
  await db().update(provedoresLlm).set({ status: para }).where(eq(provedoresLlm.id, id));
  await db().run(
    sql`insert into eventos_status (provedor_id, criado_em, de, para, motivo, latencia_ms) values (${id}, ${Date.now()}, ${de}, ${para}, ${motivo}, null)`,
  );
}

const ouvidos: EventoMonitor[] = [];
const statusOuvidos = (id: number) =>
  ouvidos.flatMap((e) => (e.tipo === "status" && e.provedor_id === id ? [{ status: e.status, motivo: e.motivo }] : []));

async function novoProvedor(nome: string, status: Status): Promise<number> {
  const { id } = await criarProvedor({ nome, tipo: "ollama", base_url: "http://127.0.0.1:9", intervalo_verificacao_segundos: 3600 });
  await db().update(provedoresLlm).set({ status }).where(eq(provedoresLlm.id, id));
  acompanhar({ id, nome, status, falhas_seguidas: 0, intervalo_verificacao_segundos: 3600 });
  // The follower's first round starts from the newest change.
  await seguirRodada();
  return id;
}

describe("the follower publishes what other instances write", () => {
  beforeAll(async () => {
    await aplicarMigracoes();
    await pararMonitor();
    ouvir((e) => ouvidos.push(e));
  });
  afterAll(() => rmSync(pasta, { recursive: true, force: true }));
  beforeEach(() => {
    ouvidos.length = 0;
  });

  it("a status write of this process kept for later (it missed its deadline) does not hold back the changes other instances write", async () => {
    const id = await novoProvedor("Seguido com escrita pendente", "online");
    // What a write that timed out leaves behind while the database still answers: one write kept, none in flight.
    gravacaoDeStatus(id, true);
    try {
      await outraInstanciaGrava(id, "online", "offline", "Recusou a conexão.");
      await seguirRodada();
      expect(statusOuvidos(id)).toEqual([{ status: "offline", motivo: "Recusou a conexão." }]);
    } finally {
      gravacaoDeStatus(id, false);
    }
  });

  it("a change this process wrote itself after an older one of another instance: neither the old one nor its own is published again", async () => {
    const id = await novoProvedor("Seguido que também grava", "instavel");
    await outraInstanciaGrava(id, "instavel", "offline", "Recusou a conexão.");
    // Before the next round, a request of this process gets an answer: it writes and publishes "online" (newer id).
    await observar(id, { ok: true, carregando: false, latenciaMs: null });
    expect(statusOuvidos(id).map((e) => e.status)).toEqual(["online"]);
    await seguirRodada();
    expect(statusOuvidos(id).map((e) => e.status)).toEqual(["online"]);
  });

  it("a row whose status changed without an event is published", async () => {
    const id = await novoProvedor("Seguido sem evento", "online");
    // A status written back after an outage: the row only.
    await db().update(provedoresLlm).set({ status: "offline" }).where(eq(provedoresLlm.id, id));
    await seguirRodada();
    expect(statusOuvidos(id).map((e) => e.status)).toEqual(["offline"]);
    await seguirRodada();
    expect(statusOuvidos(id).map((e) => e.status)).toEqual(["offline"]);
  });

  it("the changes written while this instance held the lease are read when it follows again", async () => {
    const id = await novoProvedor("Seguido depois de titular", "online");
    pararDeSeguir();
    // Another instance took over and wrote a change while this one still thought it held the lease.
    await outraInstanciaGrava(id, "online", "offline", "Tempo esgotado.");
    await seguirRodada();
    // The event itself (its reason), not only the row's status.
    expect(statusOuvidos(id)).toEqual([{ status: "offline", motivo: "Tempo esgotado." }]);
  });
});

describe("the holder hears the status changes other instances write", () => {
  beforeEach(() => {
    ouvidos.length = 0;
  });

  it("a change another instance wrote reaches the holder's pages; the holder's own change is not published twice", async () => {
    const id = await novoProvedor("Visto pela titular", "online");
    await outraInstanciaGrava(id, "online", "offline", "Recusou a conexão.");
    await seguirRodada(true);
    expect(statusOuvidos(id)).toEqual([{ status: "offline", motivo: "Recusou a conexão." }]);
    // The holder's own change (its check found the server refusing): published once, when written.
    await observar(id, { ok: false, codigo: "provedor_indisponivel", motivo: "Recusou.", decisiva: true });
    const depoisDaPropria = statusOuvidos(id);
    expect(depoisDaPropria).toHaveLength(2);
    await seguirRodada(true);
    expect(statusOuvidos(id)).toEqual(depoisDaPropria);
  });
});
