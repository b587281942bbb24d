import { describe, expect, it } from "vitest";
import { ErroApp } from "@/lib/errors";
import { type Observacao, observacaoDoErro, proximaSituacao, type Situacao } from "@/lib/saude/transicao";

const recusou: Observacao = { ok: false, codigo: "provedor_indisponivel", motivo: "Conexão recusada." };
const respondeu = (latenciaMs: number | null = 20): Observacao => ({ ok: true, carregando: false, latenciaMs });

function seguir(inicio: Situacao, ...observacoes: Observacao[]): Situacao[] {
  const passos: Situacao[] = [];
  let atual = inicio;
  for (const o of observacoes) {
    atual = proximaSituacao(atual, o);
    passos.push(atual);
  }
  return passos;
}

const online: Situacao = { status: "online", falhas_seguidas: 0, motivo: null };

describe("status with hysteresis", () => {
  it("an online provider is offline only at the third failure in a row, unstable before", () => {
    const passos = seguir(online, recusou, recusou, recusou);
    expect(passos.map((p) => p.status)).toEqual(["instavel", "instavel", "offline"]);
    expect(passos.map((p) => p.falhas_seguidas)).toEqual([1, 2, 3]);
    expect(passos[0]!.motivo).toContain("1 falha");
    expect(passos[2]!.motivo).toBe("Conexão recusada.");
  });

  it("one answer brings it back online and starts the count again", () => {
    const passos = seguir(online, recusou, recusou, recusou, respondeu(), recusou);
    expect(passos.map((p) => p.status)).toEqual(["instavel", "instavel", "offline", "online", "instavel"]);
    expect(passos[4]!.falhas_seguidas).toBe(1);
  });

  it("a failure between answers never reaches offline", () => {
    const passos = seguir(online, recusou, recusou, respondeu(), recusou, recusou, respondeu());
    expect(passos.some((p) => p.status === "offline")).toBe(false);
  });

  it("further failures of an offline provider change nothing, so nothing is written", () => {
    const [offline] = seguir(online, recusou, recusou, recusou).slice(-1);
    const depois = proximaSituacao(offline!, { ...recusou, motivo: "Outro motivo." });
    expect(depois).toEqual(offline);
  });

  it("a provider never seen answering is down at its first failure", () => {
    const desconhecido: Situacao = { status: "desconhecido", falhas_seguidas: 0, motivo: null };
    expect(proximaSituacao(desconhecido, recusou).status).toBe("offline");
    expect(proximaSituacao(desconhecido, { ok: false, codigo: "provedor_autenticacao", motivo: "401" }).status).toBe("erro");
  });

  it("a server that answers wrongly three times is erro, not offline", () => {
    const chave: Observacao = { ok: false, codigo: "provedor_autenticacao", motivo: "HTTP 401" };
    expect(seguir(online, chave, chave, chave).map((p) => p.status)).toEqual(["instavel", "instavel", "erro"]);
  });

  it("loading a model is carregando; a slow answer is instavel; a request's answer carries no latency", () => {
    expect(proximaSituacao(online, { ok: true, carregando: true, latenciaMs: 5 }).status).toBe("carregando");
    expect(proximaSituacao(online, respondeu(2500))).toMatchObject({ status: "instavel", motivo: "Respondeu, mas devagar: 2500 ms." });
    expect(proximaSituacao({ ...online, status: "instavel" }, respondeu(null)).status).toBe("online");
  });

  it("llama.cpp's 503 'Loading model' is an answer (carregando), any other 503 a failure", () => {
    const carregando = new ErroApp("provedor_erro", "O servidor está carregando o modelo (HTTP 503). Tente de novo em instantes.");
    carregando.statusServidor = 503;
    expect(observacaoDoErro(carregando)).toEqual({ ok: true, carregando: true, latenciaMs: null });
    const outro = new ErroApp("provedor_erro", "O servidor respondeu com erro HTTP 503");
    outro.statusServidor = 503;
    expect(observacaoDoErro(outro)).toMatchObject({ ok: false, codigo: "provedor_erro" });
  });
});

describe("a connection test the user asked for", () => {
  it("takes an answering provider down at its first failure", () => {
    expect(proximaSituacao(online, { ...recusou, decisiva: true })).toMatchObject({ status: "offline", falhas_seguidas: 1 });
  });
});
