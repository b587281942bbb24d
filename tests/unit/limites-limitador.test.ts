import { type Client, createClient } from "@libsql/client";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ChaveEmUso } from "@/lib/chaves/chamador";
import { type Consumo, Limitador } from "@/lib/chaves/limites/limitador";
import { ErroApp } from "@/lib/errors";

// Two instances of the app, as two limiters on two connections to one database file: what they share is the file.
const pasta = mkdtempSync(path.join(tmpdir(), "limites-"));
const url = `file:${path.join(pasta, "limites.db")}`;
const clientes: Client[] = [];
const limitadores: Limitador[] = [];

/** 10:00:00 UTC on 2 Dec 2026, moved by the tests. */
let relogio = Date.UTC(2026, 11, 2, 10, 0, 0);
const agora = () => relogio;

function novoCliente(): Client {
  const c = createClient({ url });
  clientes.push(c);
  return c;
}

function instancia(nome: string): Limitador {
  const l = new Limitador({ cliente: novoCliente(), instancia: nome, agora, intervaloMs: 60_000 });
  limitadores.push(l);
  return l;
}

let proximoId = 1;
function chave(limites: Partial<ChaveEmUso>): ChaveEmUso {
  const id = proximoId++;
  return {
    id,
    nome: `chave ${id}`,
    prefixo: "abcdefgh",
    provedores: null,
    modelos: null,
    portas: null,
    limite_rpm: null,
    limite_tpm: null,
    limite_concorrencia: null,
    orcamento_tokens_dia: null,
    orcamento_tokens_mes: null,
    prioridade: 0,
    ...limites,
  };
}

/** entrar, as a settled result: the Consumo, or the ErroApp it threw. */
async function tentar(l: Limitador, c: ChaveEmUso, reserva = 0): Promise<Consumo | ErroApp> {
  try {
    return await l.entrar(c, reserva);
  } catch (e) {
    if (e instanceof ErroApp) return e;
    throw e;
  }
}

const ehErro = (r: Consumo | ErroApp): r is ErroApp => r instanceof ErroApp;

async function linha(chaveId: number, janela: string): Promise<{ requisicoes: number; tokens: number } | undefined> {
  const r = await clientes[0]!.execute({
    sql: "select requisicoes, tokens from uso_das_chaves where chave_id = ? and janela = ? order by inicio desc limit 1",
    args: [chaveId, janela],
  });
  const l = r.rows[0];
  return l ? { requisicoes: Number(l.requisicoes), tokens: Number(l.tokens) } : undefined;
}

beforeAll(async () => {
  const sql = readFileSync(path.join(process.cwd(), "db/migrations/0009_limites_das_chaves.sql"), "utf8");
  await novoCliente().executeMultiple(sql.replaceAll("--> statement-breakpoint", ""));
});

afterEach(async () => {
  for (const l of limitadores.splice(0)) await l.devolverTudo();
});

afterAll(() => {
  for (const c of clientes) c.close();
  rmSync(pasta, { recursive: true, force: true });
});

describe("requests per minute across two instances", () => {
  it("lets through at most the limit under concurrent bursts on both, and refuses the rest with 429 and Retry-After", async () => {
    const a = instancia("A");
    const b = instancia("B");
    for (const limite of [4, 50]) {
      const c = chave({ limite_rpm: limite });
      const rajada = await Promise.all(Array.from({ length: 40 }, (_, i) => tentar(i % 2 ? a : b, c)));
      const aceitas = rajada.filter((r) => !ehErro(r));
      const recusadas = rajada.filter(ehErro);
      // Never above the limit; under it, every request passes (credit held by one instance never refuses the other's).
      expect(aceitas.length).toBe(Math.min(limite, 40));
      expect(recusadas.length).toBe(40 - aceitas.length);
      for (const e of recusadas) {
        expect(e.codigo).toBe("limite_excedido");
        expect(e.status).toBe(429);
        expect(e.message).toContain(`${limite} requisições por minuto`);
        // 10:00:00 exactly: the whole minute until the window ends.
        expect(e.cabecalhos?.["retry-after"]).toBe("60");
        expect(e.cabecalhos?.["x-ratelimit-limit-requests"]).toBe(String(limite));
      }
      // What the instances took, together, never passes the limit.
      expect((await linha(c.id, "minuto"))!.requisicoes).toBeLessThanOrEqual(limite);
    }
  });

  it("a 4-per-minute key: the 5th request is refused, with headers counting down; the next minute has room again", async () => {
    const a = instancia("A");
    const b = instancia("B");
    const c = chave({ limite_rpm: 4 });
    relogio = Date.UTC(2026, 11, 2, 10, 5, 48);
    const restantes: string[] = [];
    for (const l of [a, b, a, b]) {
      const r = await l.entrar(c, 0);
      restantes.push(r.cabecalhos()["x-ratelimit-remaining-requests"]!);
      expect(r.cabecalhos()["x-ratelimit-reset-requests"]).toBe("12s");
    }
    // Each instance knows what the row said at its own take, so the count goes down on each.
    expect(restantes[0]).toBe("3");
    expect(restantes[3]).toBe("0");
    const quinta = await tentar(a, c);
    const sexta = await tentar(b, c);
    expect(ehErro(quinta) && quinta.codigo).toBe("limite_excedido");
    expect(ehErro(sexta) && sexta.cabecalhos?.["retry-after"]).toBe("12");
    relogio = Date.UTC(2026, 11, 2, 10, 6, 0);
    expect(ehErro(await tentar(a, c))).toBe(false);
    expect(ehErro(await tentar(b, c))).toBe(false);
  });

  it("far from the limit takes a slice and spends it in memory; idle credit goes back to the row", async () => {
    const a = instancia("A");
    const b = instancia("B");
    const c = chave({ limite_rpm: 100 });
    relogio = Date.UTC(2026, 11, 2, 11, 0, 0);
    await a.entrar(c, 0);
    // A took a quarter of the minute at once: the next requests are answered without the database.
    expect((await linha(c.id, "minuto"))!.requisicoes).toBe(25);
    for (let i = 0; i < 10; i++) expect(a.entrar(c, 0)).not.toBeInstanceOf(Promise);
    relogio += 2000;
    a.cuidar();
    // 11 spent; the 14 unspent go back (and the prefetched slice, if any, never passed the limit).
    await vi.waitFor(async () => expect((await linha(c.id, "minuto"))!.requisicoes).toBe(11));
    // B may now use all the rest of the minute.
    const deB = await Promise.all(Array.from({ length: 95 }, () => tentar(b, c)));
    expect(deB.filter((r) => !ehErro(r)).length).toBe(89);
  });

  it("at shutdown the unspent credit goes back", async () => {
    const a = instancia("A");
    const c = chave({ limite_rpm: 400 });
    relogio = Date.UTC(2026, 11, 2, 12, 0, 0);
    await a.entrar(c, 0);
    expect((await linha(c.id, "minuto"))!.requisicoes).toBe(100);
    await a.devolverTudo();
    expect((await linha(c.id, "minuto"))!.requisicoes).toBe(1);
  });
});

describe("tokens", () => {
  it("reserved at the start, corrected from the usage at the end: the unused part is room again, an overrun counts", async () => {
    const a = instancia("A");
    const b = instancia("B");
    const c = chave({ limite_tpm: 1000 });
    relogio = Date.UTC(2026, 11, 2, 13, 0, 0);
    const primeira = await a.entrar(c, 600);
    // 600 reserved of 1000: another 600 has no room, on either instance.
    const semEspaco = await tentar(b, c, 600);
    expect(ehErro(semEspaco) && semEspaco.message).toContain("1000 tokens por minuto");
    expect(ehErro(await tentar(a, c, 600))).toBe(true);
    // It used 100: 500 go back to A's credit.
    primeira.encerrar(100);
    const segunda = await a.entrar(c, 600);
    expect(segunda.cabecalhos()["x-ratelimit-remaining-tokens"]).toBe("300");
    // It used 1500, 900 past its reservation: counted, and the minute is spent.
    segunda.encerrar(1500);
    expect(ehErro(await tentar(a, c, 1))).toBe(true);
    expect(ehErro(await tentar(b, c, 1))).toBe(true);
    await vi.waitFor(async () => expect((await linha(c.id, "minuto"))!.tokens).toBeGreaterThanOrEqual(1600));
  });

  it("a spent daily budget is orcamento_esgotado, saying when it renews (UTC, pt-BR)", async () => {
    const a = instancia("A");
    const b = instancia("B");
    const c = chave({ orcamento_tokens_dia: 5000, limite_rpm: 1000 });
    relogio = Date.UTC(2026, 11, 2, 22, 30, 0);
    (await a.entrar(c, 3000)).encerrar(3000);
    (await b.entrar(c, 2000)).encerrar(2000);
    const e = await tentar(a, c, 10);
    expect(ehErro(e) && e.codigo).toBe("orcamento_esgotado");
    expect(ehErro(e) && e.status).toBe(429);
    expect(ehErro(e) && e.message).toContain("renova em 03/12/2026 às 00:00 (UTC)");
    expect(ehErro(e) && e.cabecalhos?.["retry-after"]).toBe(String(90 * 60));
    // The next UTC day starts with the whole budget.
    relogio = Date.UTC(2026, 11, 3, 0, 0, 1);
    expect(ehErro(await tentar(b, c, 4000))).toBe(false);
  });
});

describe("concurrency across two instances", () => {
  it("at most the limit in flight on both; a freed slot is room again; a dead instance's slots stop counting", async () => {
    const a = instancia("A");
    const b = instancia("B");
    const c = chave({ limite_concorrencia: 3 });
    relogio = Date.UTC(2026, 11, 2, 14, 0, 0);
    const rajada = await Promise.all(Array.from({ length: 10 }, (_, i) => tentar(i % 2 ? a : b, c)));
    const emVoo = rajada.filter((r): r is Consumo => !ehErro(r));
    expect(emVoo.length).toBe(3);
    const recusada = rajada.find(ehErro)!;
    expect(recusada.codigo).toBe("limite_excedido");
    expect(recusada.message).toContain("3 requisições em andamento");
    expect(recusada.cabecalhos?.["retry-after"]).toBe("1");
    // All three end; once idle, each instance gives its slots back, and a burst again gets exactly three.
    for (const r of emVoo) r.encerrar(null);
    relogio += 2000;
    a.cuidar();
    b.cuidar();
    await vi.waitFor(async () => {
      const r = await clientes[0]!.execute({
        sql: "select coalesce(sum(vagas), 0) as n from em_voo_das_chaves where chave_id = ?",
        args: [c.id],
      });
      expect(Number(r.rows[0]!.n)).toBe(0);
    });
    const deA = await Promise.all(Array.from({ length: 3 }, () => tentar(a, c)));
    expect(deA.every((r) => !ehErro(r))).toBe(true);
    expect(ehErro(await tentar(b, c))).toBe(true);
    // A dies with its three in flight (never renews its row): after 15 s its slots no longer count.
    relogio += 16_000;
    expect(ehErro(await tentar(b, c))).toBe(false);
  });
  it("a one-slot key on one instance: the second call meanwhile is refused, the third after the first ended passes", async () => {
    const a = instancia("A");
    const c = chave({ limite_concorrencia: 1 });
    relogio = Date.UTC(2026, 11, 2, 15, 0, 0);
    const primeira = await a.entrar(c, 0);
    const segunda = await tentar(a, c);
    expect(ehErro(segunda) && segunda.codigo).toBe("limite_excedido");
    primeira.encerrar(null);
    expect(ehErro(await tentar(a, c))).toBe(false);
  });
});

describe("the database away", () => {
  it("a limited key without credit in hand is refused with the database's 503: nothing passes uncounted", async () => {
    const fora = {
      execute: async () => {
        throw new ErroApp("banco_indisponivel", "O banco de dados não respondeu.");
      },
    } as unknown as Client;
    const l = new Limitador({ cliente: fora, instancia: "C", agora, intervaloMs: 60_000 });
    limitadores.push(l);
    const e = await tentar(l, chave({ limite_rpm: 10 }));
    expect(ehErro(e) && e.codigo).toBe("banco_indisponivel");
  });
});

/** A client that counts the statements sent through it. */
function contado(cliente: Client): { cliente: Client; chamadas: () => number } {
  let n = 0;
  const envolto = {
    execute: (...args: Parameters<Client["execute"]>) => {
      n++;
      return cliente.execute(...args);
    },
  } as unknown as Client;
  return { cliente: envolto, chamadas: () => n };
}

describe("a lowered limit applies at once, also to a busy key", () => {
  it("concurrency 10 → 2 with 10 in flight: refused until fewer than 2 are in flight", async () => {
    const a = instancia("A");
    const c = chave({ limite_concorrencia: 10 });
    relogio = Date.UTC(2026, 11, 2, 16, 0, 0);
    const emVoo = await Promise.all(Array.from({ length: 10 }, () => a.entrar(c, 0)));
    const baixada = { ...c, limite_concorrencia: 2 };
    // Still busy: each end frees a slot that the lowered limit does not give back.
    for (let i = 0; i < 8; i++) {
      emVoo.pop()!.encerrar(null);
      const r = await tentar(a, baixada);
      expect(ehErro(r) && r.message).toContain("2 requisições em andamento");
    }
    emVoo.pop()!.encerrar(null);
    expect(ehErro(await tentar(a, baixada))).toBe(false);
    expect(ehErro(await tentar(a, baixada))).toBe(true);
    // The row claims no more than the new limit.
    await vi.waitFor(async () => {
      const r = await clientes[0]!.execute({ sql: "select vagas from em_voo_das_chaves where chave_id = ?", args: [c.id] });
      expect(Number(r.rows[0]!.vagas)).toBeLessThanOrEqual(2);
    });
  });

  it("a monthly budget lowered on an instance holding credit: no more is spent than the new budget", async () => {
    const a = instancia("A");
    const c = chave({ orcamento_tokens_mes: 1_000_000 });
    relogio = Date.UTC(2026, 11, 2, 16, 10, 0);
    (await a.entrar(c, 1000)).encerrar(null);
    // A holds credit taken under the old budget.
    expect((await linha(c.id, "mes"))!.tokens).toBeGreaterThan(5000);
    const baixada = { ...c, orcamento_tokens_mes: 5000 };
    let aceitas = 0;
    for (let i = 0; i < 10; i++) {
      const r = await tentar(a, baixada, 1000);
      if (!ehErro(r)) {
        aceitas++;
        r.encerrar(null);
      } else expect(r.codigo).toBe("orcamento_esgotado");
    }
    // 1000 spent before, 4 × 1000 after: the new budget, no more.
    expect(aceitas).toBe(4);
    expect((await linha(c.id, "mes"))!.tokens).toBe(5000);
  });
});

describe("credit held goes back by age, and a budget is taken in small slices", () => {
  it("an instance kept busy gives its credit back after 1.5 s all the same: the other gets the rest of the budget", async () => {
    const a = instancia("A");
    const b = instancia("B");
    const c = chave({ orcamento_tokens_dia: 64_000 });
    relogio = Date.UTC(2026, 11, 2, 17, 0, 0);
    let gastoA = 0;
    // A answers a request every 100 ms for 1.5 s: never idle, and its first slice was taken 1.5 s ago.
    for (let i = 0; i < 15; i++) {
      (await a.entrar(c, 10)).encerrar(null);
      gastoA += 10;
      relogio += 100;
      a.cuidar();
    }
    await vi.waitFor(async () => expect((await linha(c.id, "dia"))!.tokens).toBe(gastoA));
    // B may spend everything A did not use (a budget refusal here would be a false orcamento_esgotado).
    const deB = await tentar(b, c, 64_000 - gastoA);
    expect(ehErro(deB)).toBe(false);
  });

  it("a daily or monthly budget is taken at most 1/64 at a time (a take lost on its way costs little)", async () => {
    const a = instancia("A");
    const c = chave({ orcamento_tokens_dia: 640_000, orcamento_tokens_mes: 6_400_000 });
    relogio = Date.UTC(2026, 11, 2, 17, 10, 0);
    (await a.entrar(c, 10)).encerrar(null);
    await vi.waitFor(async () => expect((await linha(c.id, "dia"))!.tokens).toBe(10_000));
    expect((await linha(c.id, "mes"))!.tokens).toBe(100_000);
  });
});

describe("waiting requests share the outcome of the take they waited for", () => {
  it("the database failing: 5 waiting requests fail together with its 503, after one statement", async () => {
    let n = 0;
    const fora = {
      execute: async () => {
        n++;
        throw new ErroApp("banco_indisponivel", "O banco de dados não respondeu.");
      },
    } as unknown as Client;
    const l = new Limitador({ cliente: fora, instancia: "D", agora, intervaloMs: 60_000 });
    limitadores.push(l);
    const c = chave({ limite_rpm: 10 });
    const r = await Promise.all(Array.from({ length: 5 }, () => tentar(l, c)));
    expect(r.map((e) => ehErro(e) && e.codigo)).toEqual(Array(5).fill("banco_indisponivel"));
    // The prune of old minutes, and one take: no waiter asked again.
    expect(n).toBe(2);
  });

  it("a full window: the waiting requests are refused together, not one database round trip each", async () => {
    const b = instancia("B");
    const { cliente, chamadas } = contado(novoCliente());
    const a = new Limitador({ cliente, instancia: "A", agora, intervaloMs: 60_000 });
    limitadores.push(a);
    const c = chave({ limite_rpm: 2 });
    relogio = Date.UTC(2026, 11, 2, 18, 0, 0);
    await b.entrar(c, 0);
    await b.entrar(c, 0);
    const r = await Promise.all(Array.from({ length: 6 }, () => tentar(a, c)));
    expect(r.every(ehErro)).toBe(true);
    // A's take of a slice, then of what one request needs: both refused, and every waiter learns it from them.
    expect(chamadas()).toBeLessThanOrEqual(3);
  });
});

describe("pt-BR", () => {
  it("a one-slot key's refusal says it in the singular", async () => {
    const a = instancia("A");
    const c = chave({ limite_concorrencia: 1 });
    relogio = Date.UTC(2026, 11, 2, 19, 0, 0);
    await a.entrar(c, 0);
    const e = await tentar(a, c);
    expect(ehErro(e) && e.message).toContain("já tem 1 requisição em andamento");
  });
});
