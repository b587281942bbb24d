import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { OllamaFalso } from "../servidores/ollama";
import { CHAMADOR_ADMIN } from "@/lib/chaves/chamador";

// The health store, its breaker and the attempt stage against a real libSQL file (the status writes and the
// statistics rows land there) and real HTTP servers, in this process: the clock is moved with vi.setSystemTime.
const pasta = mkdtempSync(path.join(tmpdir(), "disjuntor-"));
process.env.DATABASE_URL = `file:${path.join(pasta, "provedores-llm.db")}`;

const { db } = await import("@/db/client");
const { provedoresLlm, requisicoesProvedores } = await import("@/db/schema");
const { aplicarMigracoes } = await import("@/lib/provedores/completar-migracao");
const { criarProvedor } = await import("@/lib/provedores/criar");
const { buscarLinhaRecente } = await import("@/lib/provedores/linha-do-provedor");
const { acompanhar, comecou, esquecer, recusaDoDisjuntor, respondeu, saudeDe, statusAtual, terminou } = await import("@/lib/saude/estado");
const { observar } = await import("@/lib/saude/observar");
const { Tentativa, tentarCandidatos } = await import("@/lib/gateway/tentar");
const { repassarMensagens } = await import("@/lib/gateway/repassar-mensagens");
type PedacoChat = import("@/lib/adapters/tipos").PedacoChat;
const { gravarPendentes } = await import("@/lib/estatisticas/registrar");
const { ErroApp } = await import("@/lib/errors");
const { PORTA_OPENAI } = await import("@/lib/portas/openai");
const { quadrosOpenAI } = await import("@/lib/portas/quadros-openai");
type PedidoModelo = import("@/lib/gateway/pedido").PedidoModelo;
type Candidato = import("@/lib/gateway/pedido").Candidato;
type Chamada = import("@/lib/gateway/tentar").Chamada;

/** A provider's row as the health store starts following it. */
const linha = (id: number, status: "offline" | "online" | "instavel" | "desconhecido", falhas_seguidas: number, intervalo = 60) => ({
  id,
  nome: `Servidor ${id}`,
  status,
  falhas_seguidas,
  intervalo_verificacao_segundos: intervalo,
});

const AGORA = new Date("2026-06-01T12:00:00Z").getTime();

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the health store's breaker", () => {
  it("refuses what the page shows offline, monitor or not: the first request is the interval's probe, then refusals until the interval has passed", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(AGORA);
    acompanhar(linha(101, "offline", 1));
    // the first request after the store starts following it is the interval's probe
    expect(recusaDoDisjuntor(101)).toBeNull();
    const recusa = recusaDoDisjuntor(101);
    expect(recusa?.codigo).toBe("provedor_indisponivel");
    expect(recusa?.message).toMatch(/"Servidor 101" está offline há .*Nova tentativa em até/);
    vi.setSystemTime(AGORA + 59_000);
    expect(recusaDoDisjuntor(101)?.codigo).toBe("provedor_indisponivel");
    // one interval after the probe: the next request probes again, and only that one
    vi.setSystemTime(AGORA + 60_000);
    expect(recusaDoDisjuntor(101)).toBeNull();
    expect(recusaDoDisjuntor(101)?.codigo).toBe("provedor_indisponivel");
  });

  it("lets through a provider that is not offline, and one never followed", () => {
    acompanhar(linha(102, "instavel", 2));
    expect(recusaDoDisjuntor(102)).toBeNull();
    expect(recusaDoDisjuntor(102)).toBeNull();
    expect(recusaDoDisjuntor(999)).toBeNull();
  });

  it("keeps the router's readings per provider: in flight until each attempt ends, a moving latency, a failure until the next answer", () => {
    comecou(104);
    comecou(104);
    respondeu(104, 100);
    respondeu(104, 200);
    // a whole answer's time is no time to first byte: it does not move the latency
    respondeu(104, null);
    expect(saudeDe(104)).toMatchObject({ emVoo: 2, latenciaMs: 120, falhouEm: null });
    terminou(104, "falhou");
    expect(saudeDe(104)?.emVoo).toBe(1);
    expect(saudeDe(104)?.falhouEm).not.toBeNull();
    // a change of the provider forgets its status, not the attempts still under way
    acompanhar(linha(104, "online", 0));
    esquecer(104);
    expect(saudeDe(104)).toMatchObject({ situacao: null, emVoo: 1 });
    terminou(104, "ok");
    expect(saudeDe(104)?.emVoo).toBe(0);
  });

  it("an attempt ended twice is a defect that is logged, not hidden", () => {
    const erro = vi.spyOn(console, "error").mockImplementation(() => {});
    comecou(105);
    terminou(105, "ok");
    expect(erro).not.toHaveBeenCalled();
    terminou(105, "ok");
    expect(erro).toHaveBeenCalledWith(expect.stringContaining("sem estar em curso (provedor 105)"));
  });
});

describe("observations and the breaker", () => {
  let ids: number[] = [];
  let vivo: OllamaFalso;
  let pedidos: Promise<void>[] = [];
  beforeAll(async () => {
    await aplicarMigracoes();
    vivo = await new OllamaFalso().iniciar();
    ids = [];
    for (const nome of ["Alfa", "Beta", "Gama", "Delta", "Epsilon"]) {
      const { id } = await criarProvedor({ nome, tipo: "ollama", base_url: vivo.url, intervalo_verificacao_segundos: 5 });
      ids.push(id);
    }
  });
  afterAll(async () => {
    await vivo.parar();
    rmSync(pasta, { recursive: true, force: true });
  });

  const pedido = (): PedidoModelo => ({
    porta: "requisicao",
    modelo: null,
    provedorId: null,
    stream: false,
    entrada: {
      formato: "mensagens",
      mensagens: [{ role: "user", content: "oi" }],
      configuracao: undefined,
      enquadrar: () => new Uint8Array(),
    },
    recebidoEm: performance.now(),
    chamador: CHAMADOR_ADMIN,
    depois: (g) => pedidos.push(g),
  });
  const linhasDe = async (id: number) => {
    await Promise.all(pedidos);
    pedidos = [];
    await gravarPendentes();
    return db()
      .select({ sucesso: requisicoesProvedores.sucesso, codigo: requisicoesProvedores.codigo_erro, modelo: requisicoesProvedores.modelo })
      .from(requisicoesProvedores)
      .where(eq(requisicoesProvedores.provedor_id, id));
  };
  const candidatoDe = async (id: number, modelo: string | null, comLinha: boolean): Promise<Candidato> => {
    const l = await buscarLinhaRecente(id);
    return {
      provedor: {
        id,
        nome: l.nome,
        tipo: l.tipo,
        slug: l.slug,
        status: l.status,
        falhas_seguidas: l.falhas_seguidas,
        intervalo_verificacao_segundos: l.intervalo_verificacao_segundos,
        latencia: null,
      },
      modelo,
      ...(comLinha ? { linha: l } : {}),
    };
  };

  it("a check that hung past its interval: the refusal window starts when offline is published, not when the check began", async () => {
    const id = ids[0]!;
    acompanhar(linha(id, "desconhecido", 0, 5));
    // the check began 10 s ago (it hung for its timeout), with a 5 s interval
    await observar(
      id,
      { ok: false, codigo: "provedor_timeout", motivo: "Esgotou o tempo." },
      { em: new Date(Date.now() - 10_000), latencia_ms: null },
    );
    expect(statusAtual(id)).toBe("offline");
    expect(recusaDoDisjuntor(id)?.codigo).toBe("provedor_indisponivel");
    const [gravada] = await db().select({ status: provedoresLlm.status }).from(provedoresLlm).where(eq(provedoresLlm.id, id));
    expect(gravada?.status).toBe("offline");
  });

  it("a newer row (another instance, a cron round) is taken once followed, unless this process has a status write the row may not show yet", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(AGORA);
    const id = 107;
    acompanhar(linha(id, "online", 0));
    // another process found it offline: requests agree with the page at once
    acompanhar(linha(id, "offline", 3));
    expect(statusAtual(id)).toBe("offline");
    expect(recusaDoDisjuntor(id)?.codigo).toBe("provedor_indisponivel");
    // this process saw it answer (its write landed): a row read before that write is not taken over it…
    const dbId = ids[0]!;
    acompanhar(linha(dbId, "offline", 3));
    await observar(dbId, { ok: true, carregando: false, latenciaMs: null });
    expect(statusAtual(dbId)).toBe("online");
    acompanhar(linha(dbId, "offline", 3));
    expect(statusAtual(dbId)).toBe("online");
    // …but one read once the short-lived copies are gone is
    vi.setSystemTime(AGORA + 10_000);
    acompanhar(linha(dbId, "offline", 3));
    expect(statusAtual(dbId)).toBe("offline");
  });

  it("a probe that gets the first byte reopens the breaker then, before its record (a stream still running, or never recorded)", () => {
    const id = ids[1]!;
    acompanhar(linha(id, "offline", 3));
    expect(recusaDoDisjuntor(id)).toBeNull();
    const t = new Tentativa(pedido(), id, "modelo-teste");
    t.respondeu(true);
    expect(statusAtual(id)).toBe("online");
    expect(recusaDoDisjuntor(id)).toBeNull();
    t.encerrar("cancelado", null);
    expect(saudeDe(id)?.emVoo).toBe(0);
  });

  it("a whole answer's time does not feed the routing latency; a stream's first byte does", () => {
    const id = 106;
    const a = new Tentativa(pedido(), id, "modelo-teste");
    a.respondeu(false);
    a.encerrar("ok", null);
    expect(saudeDe(id)?.latenciaMs).toBeNull();
    const b = new Tentativa(pedido(), id, "modelo-teste");
    b.respondeu(true);
    b.encerrar("ok", null);
    expect(saudeDe(id)?.latenciaMs).not.toBeNull();
  });

  it("failover: one row per attempt, none for a provider the breaker refused, nothing left in flight", async () => {
    const [recusado, falho, bom] = [ids[2]!, ids[3]!, ids[4]!];
    acompanhar(linha(recusado, "offline", 3));
    // the interval's probe is spent: the next request is refused
    expect(recusaDoDisjuntor(recusado)).toBeNull();
    const chamados: number[] = [];
    const chamar: Chamada = async (_p, t, _l, c) => {
      chamados.push(c.provedor.id);
      if (c.provedor.id === falho) throw new ErroApp("provedor_indisponivel", "Conexão recusada.");
      t.respondeu(false);
      t.encerrar("ok", { sucesso: true });
      return { tipo: "texto", texto: "{}", provedor: c.provedor, overheadMs: 0, filaMs: 0 };
    };
    const candidatos = [await candidatoDe(recusado, "m", false), await candidatoDe(falho, "m", false), await candidatoDe(bom, "m", false)];
    // the catalogue's row says offline too (as this process would have written it)
    candidatos[0]!.provedor = { ...candidatos[0]!.provedor, status: "offline", falhas_seguidas: 3 };
    const r = await tentarCandidatos(pedido(), candidatos, chamar);
    expect(r.provedor.id).toBe(bom);
    expect(chamados).toEqual([falho, bom]);
    expect(await linhasDe(recusado)).toEqual([]);
    expect(await linhasDe(falho)).toEqual([{ sucesso: false, codigo: "provedor_indisponivel", modelo: "m" }]);
    expect(await linhasDe(bom)).toEqual([{ sucesso: true, codigo: null, modelo: "m" }]);
    for (const id of [recusado, falho, bom]) expect(saudeDe(id)?.emVoo ?? 0).toBe(0);
  });

  it("a routed candidate known offline from its catalogue row is refused before it is tried (as a pinned one is)", async () => {
    const id = ids[2]!;
    esquecer(id);
    // the catalogue read the row another process wrote: offline
    const c = await candidatoDe(id, "m", false);
    c.provedor = { ...c.provedor, status: "offline", falhas_seguidas: 3 };
    // the store starts following it at the first request: that one probes; the next is refused, not tried
    let chamadas = 0;
    const chamar: Chamada = async (_p, t) => {
      chamadas += 1;
      t.encerrar("falhou", { sucesso: false, codigo_erro: "provedor_timeout" });
      throw new ErroApp("provedor_timeout", "Esgotou o tempo.");
    };
    await expect(tentarCandidatos(pedido(), [c], chamar)).rejects.toMatchObject({ codigo: "provedor_timeout" });
    await expect(tentarCandidatos(pedido(), [c], chamar)).rejects.toMatchObject({ codigo: "provedor_indisponivel" });
    expect(chamadas).toBe(1);
  });

  it("a failed lookup of a pinned provider's default model is that attempt's failure: one row, nothing in flight", async () => {
    const id = ids[3]!;
    // its server gone, and no model known: the default cannot be worked out
    await db().update(provedoresLlm).set({ base_url: "http://127.0.0.1:9", modelo_padrao: null }).where(eq(provedoresLlm.id, id));
    esquecer(id);
    const antes = (await linhasDe(id)).length;
    const c = await candidatoDe(id, null, true);
    c.linha = { ...c.linha!, base_url: "http://127.0.0.1:9", modelo_padrao: null };
    const chamar: Chamada = async () => {
      throw new Error("never called");
    };
    await expect(tentarCandidatos(pedido(), [c], chamar)).rejects.toBeInstanceOf(ErroApp);
    const depois = await linhasDe(id);
    expect(depois.length).toBe(antes + 1);
    expect(depois.at(-1)?.sucesso).toBe(false);
    expect(saudeDe(id)?.emVoo ?? 0).toBe(0);
  });
});

describe("the normalised stream relay settles its attempt however the stream ends", () => {
  async function* pedacos(): AsyncGenerator<PedacoChat> {
    yield { tipo: "delta", conteudo: "o" };
    yield { tipo: "delta", conteudo: "i" };
  }
  const relay = (id: number) => {
    const gravacoes: Promise<void>[] = [];
    const p = {
      porta: "requisicao",
      modelo: "m",
      provedorId: id,
      stream: true,
      entrada: { formato: "mensagens", mensagens: [], configuracao: undefined, enquadrar: () => new Uint8Array(1) },
      recebidoEm: performance.now(),
      chamador: CHAMADOR_ADMIN,
      depois: (g: Promise<void>) => gravacoes.push(g),
    } satisfies PedidoModelo;
    const t = new Tentativa(p, id, "m");
    t.respondeu(true);
    t.adiarGravacao();
    const gerador = pedacos();
    return {
      gravacoes,
      gerador,
      stream: repassarMensagens({ done: false, value: { tipo: "delta", conteudo: "" } }, gerador, {
        tentativa: t,
        provedorId: id,
        cancelar: new AbortController(),
        enquadrar: p.entrada.enquadrar,
      }),
    };
  };

  /** The caller's `depois` hears of the record once it is settled: bounded wait for that. */
  const gravada = (gravacoes: Promise<void>[]) =>
    Promise.race([Promise.all(gravacoes).then(() => "gravada"), new Promise<string>((r) => setTimeout(() => r("pendente"), 2000))]);

  it("pieces that end without their final one: a cut answer, settled (nothing left in flight, its write handed over)", async () => {
    const { gravacoes, stream } = relay(108);
    for await (const _ of stream.quadros) {
      // read to the end
    }
    expect(saudeDe(108)?.emVoo).toBe(0);
    expect(await gravada(gravacoes)).toBe("gravada");
  });

  it("a started stream its writer stops reading: descartar still settles it", async () => {
    const { gravacoes, stream } = relay(109);
    const iterador = stream.quadros[Symbol.asyncIterator]();
    await iterador.next();
    // the writer gives up on it without closing the iterator (the caller left between two frames)
    stream.descartar();
    expect(saudeDe(109)?.emVoo).toBe(0);
    expect(await gravada(gravacoes)).toBe("gravada");
  });
});

describe("the OpenAI door's errors", () => {
  it("a server's 4xx is the caller's validacao in a JSON answer and in a stream's error frame alike", () => {
    const erro = new ErroApp("provedor_erro", "Parâmetro inválido: temperature.");
    erro.statusServidor = 400;
    const json = PORTA_OPENAI.formatoDeErro(erro);
    expect(json.status).toBe(400);
    expect(JSON.parse(String(json.corpo))).toMatchObject({ error: { code: "validacao", type: "invalid_request_error" } });
    const quadro = new TextDecoder().decode(quadrosOpenAI([{ tipo: "erro", erro }]));
    expect(JSON.parse(quadro.replace(/^data: /, "").trim())).toMatchObject({ error: { code: "validacao", type: "invalid_request_error" } });
  });
});
