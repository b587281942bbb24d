import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { AbasProvedor } from "@/components/abas-provedor";
import { BadgeAtivo, BadgeStatus } from "@/components/badge-status";
import { StatusAoVivo } from "@/components/status-ao-vivo";
import { BotaoAtivo } from "@/components/botao-ativo";
import { BotaoExcluir } from "@/components/botao-excluir";
import { duracao, inteiro, ms, porcentagem } from "@/components/formatos";
import { dataHora, ROTULO_TIPO } from "@/components/rotulos";
import { obterEstatisticas } from "@/lib/estatisticas/consultar";
import { lerModelosEmCache, obterDisponibilidade } from "@/lib/provedores";
import { provedorDaPagina } from "../carregar";

export const metadata: Metadata = { title: "Detalhes do provedor" };

function Item({ rotulo, children }: { rotulo: string; children: ReactNode }) {
  return (
    <div className="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm text-slate-600">{rotulo}</dt>
      <dd className="text-sm text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

function Resumo({ titulo, href, acao, children }: { titulo: string; href: string; acao: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label={titulo}>
      <h2 className="text-sm font-medium text-slate-600">{titulo}</h2>
      <div className="mt-2">{children}</div>
      <Link href={href} className="mt-2 inline-block text-sm text-sky-800 underline-offset-2 hover:underline">
        {acao}
      </Link>
    </section>
  );
}

export default async function PaginaDetalhes({ params }: { params: Promise<{ id: string }> }) {
  const p = await provedorDaPagina(params);
  const cfg = p.configuracao;
  const [{ modelos, atualizado_em }, e, d] = await Promise.all([
    lerModelosEmCache(p.id),
    obterEstatisticas(p.id, "24h"),
    obterDisponibilidade(p.id),
  ]);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{p.nome}</h1>
        <StatusAoVivo id={p.id} inicial={p.status} />
        <BadgeAtivo ativo={p.ativo} />
        <div className="ml-auto flex flex-wrap gap-1">
          <Link href={`/provedores-llm/${p.id}/editar`} className="rounded-md px-2 py-1 text-sm font-medium text-sky-800 hover:bg-sky-50">
            Editar
          </Link>
          <BotaoAtivo id={p.id} nome={p.nome} ativo={p.ativo} />
          <BotaoExcluir id={p.id} nome={p.nome} depois="/provedores-llm" />
        </div>
      </div>
      <AbasProvedor id={p.id} atual="detalhes" />
      <div className="grid gap-3 sm:grid-cols-3">
        <Resumo titulo="Conexão" href={`/provedores-llm/${p.id}/testar`} acao="Testar">
          <StatusAoVivo id={p.id} inicial={p.status} />
          <p className="mt-1 text-sm text-slate-700">
            {p.ultimo_teste_em ? `Verificado em ${dataHora(p.ultimo_teste_em)}` : "Ainda não verificado"}
            {p.ultima_latencia_ms !== null ? ` · ${p.ultima_latencia_ms} ms` : ""}
          </p>
        </Resumo>
        <Resumo titulo="Modelos" href={`/provedores-llm/${p.id}/modelos`} acao="Ver modelos">
          <p className="text-2xl font-semibold">{modelos.length}</p>
          <p className="text-sm text-slate-700">
            {e.modelos_carregados} carregado(s) · {atualizado_em ? `lista de ${dataHora(atualizado_em)}` : "lista nunca atualizada"}
          </p>
        </Resumo>
        <Resumo titulo="Últimas 24 horas" href={`/provedores-llm/${p.id}/estatisticas`} acao="Ver estatísticas">
          <p className="text-2xl font-semibold">{inteiro(e.total_requisicoes)} requisições</p>
          <p className="text-sm text-slate-700">
            sucesso {porcentagem(e.taxa_sucesso)} · p50 {ms(e.p50_ms)} · {inteiro(e.tokens_totais)} tokens
          </p>
        </Resumo>
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Disponibilidade">
        <h2 className="text-sm font-medium text-slate-600">Disponibilidade</h2>
        <dl className="mt-2 grid grid-cols-3 gap-3">
          {(["24h", "7d", "30d"] as const).map((periodo) => (
            <div key={periodo}>
              <dt className="text-xs text-slate-600">{{ "24h": "24 horas", "7d": "7 dias", "30d": "30 dias" }[periodo]}</dt>
              <dd className="text-2xl font-semibold" data-uptime={periodo}>
                {d.uptime[periodo] === null ? "—" : `${d.uptime[periodo].toLocaleString("pt-BR", { maximumFractionDigits: 2 })}%`}
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-1 text-xs text-slate-600">
          {p.ativo
            ? `Verificado a cada ${p.intervalo_verificacao_segundos} s; offline depois de 3 falhas seguidas.`
            : "Provedor inativo: não é verificado."}
        </p>
        <h3 className="mt-4 text-sm font-medium text-slate-600">Últimos incidentes</h3>
        {d.incidentes.length ? (
          <table className="mt-2 w-full text-left text-sm">
            <thead className="text-xs text-slate-600">
              <tr>
                <th className="py-1 pr-3 font-medium">Início</th>
                <th className="py-1 pr-3 font-medium">Fim</th>
                <th className="py-1 pr-3 font-medium">Duração</th>
                <th className="py-1 font-medium">Motivo</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {d.incidentes.map((i) => (
                <tr key={i.inicio.getTime()} data-incidente>
                  <td className="py-1 pr-3 whitespace-nowrap">{dataHora(i.inicio)}</td>
                  <td className="py-1 pr-3 whitespace-nowrap">{i.fim ? dataHora(i.fim) : "em andamento"}</td>
                  <td className="py-1 pr-3 whitespace-nowrap">{duracao(i.duracao_ms)}</td>
                  <td className="py-1 text-slate-700">
                    <BadgeStatus status={i.status} /> {i.motivo ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="mt-1 text-sm text-slate-700">Nenhum incidente nos últimos 30 dias.</p>
        )}
      </section>
      <dl className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white px-4">
        <Item rotulo="Tipo">{ROTULO_TIPO[p.tipo]}</Item>
        <Item rotulo="URL base">
          <span className="break-all font-mono text-xs">{p.base_url}</span>
        </Item>
        <Item rotulo="Id fixo no /v1">
          {/* The stored slug: it stays when the provider is renamed, so pinned programs keep working. */}
          <code className="font-mono text-xs" data-testid="id-fixo">{`${p.slug}/<modelo>`}</code>
        </Item>
        <Item rotulo="Descrição">{p.descricao ?? "—"}</Item>
        <Item rotulo="API key">{p.api_key_configurada ? "Configurada (cifrada)" : "Nenhuma"}</Item>
        <Item rotulo="Timeout">{p.timeout_segundos} s</Item>
        <Item rotulo="Verificação">a cada {p.intervalo_verificacao_segundos} s</Item>
        <Item rotulo="Modelo padrão">{p.modelo_padrao ?? "—"}</Item>
        <Item rotulo="Geração padrão">
          {[
            cfg.temperatura !== undefined ? `temperatura ${cfg.temperatura}` : null,
            cfg.max_tokens !== undefined ? `máx. ${cfg.max_tokens} tokens` : null,
            cfg.top_p !== undefined ? `top_p ${cfg.top_p}` : null,
          ]
            .filter(Boolean)
            .join(" · ") || "Padrões do servidor"}
        </Item>
        <Item rotulo="Última verificação">
          {dataHora(p.ultimo_teste_em)}
          {p.ultima_latencia_ms !== null ? ` (${p.ultima_latencia_ms} ms)` : ""}
        </Item>
        <Item rotulo="Criado em">{dataHora(p.criado_em)}</Item>
        <Item rotulo="Atualizado em">{dataHora(p.atualizado_em)}</Item>
      </dl>
      <Link href="/provedores-llm" className="text-sm text-slate-700 underline">
        Voltar para a lista
      </Link>
    </div>
  );
}
