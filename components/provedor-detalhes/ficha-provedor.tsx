import type { ReactNode } from "react";
import type { LimiteEmVigor } from "@/lib/provedores/limite-em-vigor";
import type { ProvedorLLM } from "@/lib/schemas/provedor";
import { textoDoLimite } from "../limite-em-vigor";
import { dataHora, ROTULO_TIPO } from "../rotulos";

function Item({ rotulo, children }: { rotulo: string; children: ReactNode }) {
  return (
    <div className="py-2 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm text-slate-600">{rotulo}</dt>
      <dd className="text-sm text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

/** "temperatura 0.3 · máx. 512 tokens", or the server's defaults when none is set. */
function geracaoPadrao({ temperatura, max_tokens, top_p }: ProvedorLLM["configuracao"]): string {
  return (
    [
      temperatura !== undefined ? `temperatura ${temperatura}` : null,
      max_tokens !== undefined ? `máx. ${max_tokens} tokens` : null,
      top_p !== undefined ? `top_p ${top_p}` : null,
    ]
      .filter(Boolean)
      .join(" · ") || "Padrões do servidor"
  );
}

/** Everything registered about a provider, one line each (the key only as "configured" or not). */
export function FichaProvedor({ provedor: p, limite }: { provedor: ProvedorLLM; limite: LimiteEmVigor }) {
  return (
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
      <Item rotulo="Geração padrão">{geracaoPadrao(p.configuracao)}</Item>
      <Item rotulo="Concorrência máxima">
        <span data-testid="concorrencia-em-vigor">{textoDoLimite(limite, p.tipo)}</span>
      </Item>
      {p.modelos_simultaneos_informados !== null ? (
        <Item rotulo="Modelos carregados ao mesmo tempo">
          {p.modelos_simultaneos_informados === 0 ? "Sem limite" : p.modelos_simultaneos_informados} (informado pelo servidor)
        </Item>
      ) : null}
      <Item rotulo="Fila">
        {p.fila_max === 0
          ? "Sem espera: com o limite atingido, o cliente recebe “ocupado” na hora"
          : `até ${p.fila_max} ${p.fila_max === 1 ? "requisição" : "requisições"}, esperando no máximo ${p.fila_espera_segundos} s`}
      </Item>
      <Item rotulo="Última verificação">
        {dataHora(p.ultimo_teste_em)}
        {p.ultima_latencia_ms !== null ? ` (${p.ultima_latencia_ms} ms)` : ""}
      </Item>
      <Item rotulo="Criado em">{dataHora(p.criado_em)}</Item>
      <Item rotulo="Atualizado em">{dataHora(p.atualizado_em)}</Item>
    </dl>
  );
}
