import Link from "next/link";
import type { RequisicoesRecentes } from "@/lib/schemas/llm";
import { CabecalhoTabela } from "./cabecalho-tabela";
import { inteiro, ms, tokS } from "./formatos";
import { dataHora, rotuloPorta } from "./rotulos";

const CELULA = "px-3 py-2";
const NUMERO = `${CELULA} text-right`;

/** "Últimas requisições": one page of the per-request log, newest first, with links to the others. */
export function TabelaRequisicoesRecentes({ r, hrefDaPagina }: { r: RequisicoesRecentes; hrefDaPagina: (pagina: number) => string }) {
  return (
    <section aria-labelledby="ultimas" className="space-y-2">
      <h2 id="ultimas" className="text-lg font-semibold">
        Últimas requisições
      </h2>
      {r.total === 0 ? (
        <p className="text-sm text-slate-600">Nenhuma requisição registrada nos últimos 7 dias.</p>
      ) : (
        <>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm">
              <CabecalhoTabela
                colunas={[
                  { rotulo: "Quando" },
                  { rotulo: "Modelo" },
                  { rotulo: "Porta" },
                  { rotulo: "Resultado" },
                  { rotulo: "Tempo", numero: true },
                  { rotulo: "1º token", numero: true },
                  { rotulo: "Fila", numero: true },
                  { rotulo: "Tok/s", numero: true },
                  { rotulo: "Tokens (prompt + resposta)", numero: true },
                ]}
              />
              <tbody>
                {r.requisicoes.map((q) => (
                  <tr key={q.id} className="border-t border-slate-100">
                    <td className={`${CELULA} whitespace-nowrap`}>
                      {dataHora(new Date(q.criado_em))}
                      {q.stream ? <span className="ml-2 text-xs text-slate-500">stream</span> : null}
                    </td>
                    <td className={`${CELULA} font-mono`}>{q.modelo || "—"}</td>
                    <td className={`${CELULA} whitespace-nowrap`}>{rotuloPorta(q.porta)}</td>
                    <td className={CELULA}>
                      {q.sucesso ? (
                        <span className="text-status-online-texto">sucesso</span>
                      ) : (
                        <span className="text-status-erro-texto">{q.codigo_erro ?? "erro"}</span>
                      )}
                    </td>
                    <td className={NUMERO}>{ms(q.tempo_resposta_ms)}</td>
                    <td className={NUMERO}>{ms(q.tempo_primeiro_token_ms)}</td>
                    <td className={NUMERO}>{ms(q.tempo_fila_ms)}</td>
                    <td className={NUMERO}>{tokS(q.tokens_por_segundo)}</td>
                    <td className={NUMERO}>
                      {q.tokens_prompt === null && q.tokens_resposta === null
                        ? "—"
                        : `${inteiro(q.tokens_prompt)} + ${inteiro(q.tokens_resposta)}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav aria-label="Páginas das últimas requisições" className="flex items-center justify-between text-sm">
            <span className="text-slate-600">
              Página {inteiro(r.pagina)} de {inteiro(r.paginas)} · {inteiro(r.total)} requisições
            </span>
            <span className="flex gap-3">
              {r.pagina > 1 ? (
                <Link className="text-sky-700 hover:underline" href={hrefDaPagina(r.pagina - 1)}>
                  Mais recentes
                </Link>
              ) : null}
              {r.pagina < r.paginas ? (
                <Link className="text-sky-700 hover:underline" href={hrefDaPagina(r.pagina + 1)}>
                  Mais antigas
                </Link>
              ) : null}
            </span>
          </nav>
        </>
      )}
    </section>
  );
}
