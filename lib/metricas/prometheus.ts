import "server-only";
import { asc } from "drizzle-orm";
import { db } from "@/db/client";
import { chavesAcesso, modelosProvedores, provedoresLlm, STATUS_PROVEDOR } from "@/db/schema";
import { estadoDasFilas } from "../fila";
import { esquecerSeriesDoProvedor, type HistogramaPrometheus, LIMITES_SEGUNDOS, series } from "./contadores";

/** A label value in the text format: backslash, double quote and newline escaped. */
const valor = (v: string | number) => String(v).replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
const rotulos = (r: Record<string, string | number>) =>
  `{${Object.entries(r)
    .map(([k, v]) => `${k}="${valor(v)}"`)
    .join(",")}}`;

function histograma(linhas: string[], nome: string, base: Record<string, string | number>, h: HistogramaPrometheus): void {
  let acumulado = 0;
  LIMITES_SEGUNDOS.forEach((limite, i) => {
    acumulado += h.baldes[i]!;
    linhas.push(`${nome}_bucket${rotulos({ ...base, le: limite })} ${acumulado}`);
  });
  linhas.push(`${nome}_bucket${rotulos({ ...base, le: "+Inf" })} ${h.n}`);
  linhas.push(`${nome}_sum${rotulos(base)} ${h.soma}`);
  linhas.push(`${nome}_count${rotulos(base)} ${h.n}`);
}

/**
 * GET /api/metrics in Prometheus' text exposition format (0.0.4). Counters and histograms since the process
 * started (every front door: playground, requisicao, /v1); provider and model gauges from the database.
 */
export async function metricasPrometheus(): Promise<string> {
  const banco = db();
  const [provedores, modelos, chaves] = await Promise.all([
    banco
      .select({
        id: provedoresLlm.id,
        nome: provedoresLlm.nome,
        tipo: provedoresLlm.tipo,
        ativo: provedoresLlm.ativo,
        status: provedoresLlm.status,
      })
      .from(provedoresLlm)
      .orderBy(asc(provedoresLlm.id)),
    banco
      .select({ provedor_id: modelosProvedores.provedor_id, modelo: modelosProvedores.modelo, carregado: modelosProvedores.carregado })
      .from(modelosProvedores)
      .orderBy(asc(modelosProvedores.provedor_id), asc(modelosProvedores.modelo)),
    banco.select({ id: chavesAcesso.id, nome: chavesAcesso.nome }).from(chavesAcesso),
  ]);
  const nomesDasChaves = new Map(chaves.map((c) => [c.id, c.nome]));
  const nomes = new Map(provedores.map((p) => [p.id, p.nome]));
  const linhas: string[] = [];
  const cabecalho = (nome: string, tipo: string, ajuda: string) => linhas.push(`# HELP ${nome} ${ajuda}`, `# TYPE ${nome} ${tipo}`);

  // Ids only grow: a series of an id below the newest that is not in the list belongs to a provider another
  // instance deleted, and goes for good (one this instance deleted went already: esquecerSeriesDoProvedor).
  // One above may be a provider created after the list was read: it waits for the next scrape.
  const maiorId = provedores.at(-1)?.id ?? 0;
  for (const s of [...series.values()]) if (!nomes.has(s.provedor_id) && s.provedor_id < maiorId) esquecerSeriesDoProvedor(s.provedor_id);
  const doProcesso = [...series.values()].filter((s) => nomes.has(s.provedor_id));
  // `chave`: the key's name, and `chave_id` beside it (a revoked key's name may be given to another key, as a
  // provider's name may be reused: the id keeps the two series apart); both "" for the admin.
  const base = (s: { provedor_id: number; modelo: string; porta: string; chave_id: number | null }) => ({
    provedor_id: s.provedor_id,
    provedor: nomes.get(s.provedor_id)!,
    modelo: s.modelo,
    porta: s.porta,
    chave_id: s.chave_id ?? "",
    chave: s.chave_id === null ? "" : (nomesDasChaves.get(s.chave_id) ?? ""),
  });

  cabecalho(
    "provedores_llm_requisicoes_total",
    "counter",
    "Requisições enviadas aos provedores, por porta de entrada, chave de acesso (vazia: o administrador) e resultado (sucesso ou código de erro).",
  );
  for (const s of doProcesso) {
    for (const [codigo, n] of s.porCodigo) linhas.push(`provedores_llm_requisicoes_total${rotulos({ ...base(s), codigo })} ${n}`);
  }
  cabecalho("provedores_llm_erros_total", "counter", "Requisições que terminaram em erro, por código.");
  for (const s of doProcesso) {
    for (const [codigo, n] of s.porCodigo)
      if (codigo !== "sucesso") linhas.push(`provedores_llm_erros_total${rotulos({ ...base(s), codigo })} ${n}`);
  }
  cabecalho("provedores_llm_duracao_requisicao_seconds", "histogram", "Tempo de resposta das requisições, em segundos.");
  for (const s of doProcesso) histograma(linhas, "provedores_llm_duracao_requisicao_seconds", base(s), s.duracao);
  cabecalho("provedores_llm_tempo_primeiro_token_seconds", "histogram", "Tempo até o primeiro token das respostas em stream, em segundos.");
  for (const s of doProcesso)
    if (s.primeiroToken.n) histograma(linhas, "provedores_llm_tempo_primeiro_token_seconds", base(s), s.primeiroToken);
  cabecalho(
    "provedores_llm_tempo_fila_seconds",
    "histogram",
    "Tempo de espera na fila do provedor antes de a requisição ser enviada (0: não esperou), em segundos.",
  );
  for (const s of doProcesso) if (s.fila.n) histograma(linhas, "provedores_llm_tempo_fila_seconds", base(s), s.fila);
  cabecalho("provedores_llm_tokens_total", "counter", "Tokens informados pelos servidores, por tipo (prompt ou resposta).");
  for (const s of doProcesso) {
    linhas.push(`provedores_llm_tokens_total${rotulos({ ...base(s), tipo: "prompt" })} ${s.tokensPrompt}`);
    linhas.push(`provedores_llm_tokens_total${rotulos({ ...base(s), tipo: "resposta" })} ${s.tokensResposta}`);
  }

  // The queues of this instance (each instance has its own): the providers a request reached since it started.
  const filas = estadoDasFilas().filter((f) => nomes.has(f.provedor_id));
  const doProvedor = (id: number) => ({ provedor_id: id, provedor: nomes.get(id)! });
  cabecalho("provedores_llm_fila_em_voo", "gauge", "Requisições enviadas ao provedor por esta instância e ainda não terminadas.");
  for (const f of filas) linhas.push(`provedores_llm_fila_em_voo${rotulos(doProvedor(f.provedor_id))} ${f.em_voo}`);
  cabecalho("provedores_llm_fila_esperando", "gauge", "Requisições esperando na fila do provedor nesta instância.");
  for (const f of filas) linhas.push(`provedores_llm_fila_esperando${rotulos(doProvedor(f.provedor_id))} ${f.na_fila}`);
  cabecalho(
    "provedores_llm_fila_recusadas_total",
    "counter",
    "Requisições recusadas pela fila do provedor nesta instância, por motivo: cheia (todos os lugares ocupados) ou espera (passou de fila_espera_segundos).",
  );
  for (const f of filas) {
    linhas.push(`provedores_llm_fila_recusadas_total${rotulos({ ...doProvedor(f.provedor_id), motivo: "cheia" })} ${f.recusadas_cheia}`);
    linhas.push(`provedores_llm_fila_recusadas_total${rotulos({ ...doProvedor(f.provedor_id), motivo: "espera" })} ${f.recusadas_espera}`);
  }

  cabecalho("provedores_llm_provedor_up", "gauge", "1 se o provedor responde (online, carregando um modelo ou instável).");
  for (const p of provedores)
    linhas.push(
      `provedores_llm_provedor_up${rotulos({ provedor_id: p.id, provedor: p.nome, tipo: p.tipo })} ${["online", "carregando", "instavel"].includes(p.status) ? 1 : 0}`,
    );
  cabecalho("provedores_llm_provedor_ativo", "gauge", "1 se o provedor está ativo (recebe requisições).");
  for (const p of provedores)
    linhas.push(`provedores_llm_provedor_ativo${rotulos({ provedor_id: p.id, provedor: p.nome })} ${p.ativo ? 1 : 0}`);
  cabecalho("provedores_llm_provedor_status", "gauge", "1 no estado atual do provedor, 0 nos outros.");
  for (const p of provedores) {
    for (const status of STATUS_PROVEDOR) {
      linhas.push(
        `provedores_llm_provedor_status${rotulos({ provedor_id: p.id, provedor: p.nome, status })} ${p.status === status ? 1 : 0}`,
      );
    }
  }
  cabecalho("provedores_llm_modelo_carregado", "gauge", "1 se o servidor disse que o modelo está carregado na memória (cache de modelos).");
  for (const m of modelos) {
    if (m.carregado === null) continue;
    linhas.push(
      `provedores_llm_modelo_carregado${rotulos({ provedor_id: m.provedor_id, provedor: nomes.get(m.provedor_id) ?? "", modelo: m.modelo })} ${m.carregado ? 1 : 0}`,
    );
  }
  return `${linhas.join("\n")}\n`;
}
