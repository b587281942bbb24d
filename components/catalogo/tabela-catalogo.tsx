import Link from "next/link";
import type { ModeloDoCatalogo, ServidorDoModelo } from "@/lib/schemas/catalogo";
import { BadgeStatus } from "../badge-status";
import { BotaoCopiar } from "../botao-copiar";
import { CabecalhoTabela } from "../cabecalho-tabela";
import { inteiro, tamanho } from "../formatos";
import { ROTULO_TIPO } from "../rotulos";
import { AcoesNoServidor } from "./acoes-no-servidor";
import { ROTULO_CAPACIDADE } from "./filtros-catalogo";

const COLUNAS = [
  { rotulo: "Modelo" },
  { rotulo: "Detalhes" },
  { rotulo: "Capacidades" },
  { rotulo: "Servidores" },
  { rotulo: "Uso em 24 h", numero: true },
];

function ChipCarregado({ carregado }: { carregado: boolean | null }) {
  if (carregado === true)
    return (
      <span className="inline-flex rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-inset ring-emerald-300">
        Carregado
      </span>
    );
  if (carregado === false)
    return (
      <span className="inline-flex rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-inset ring-slate-300">
        Não carregado
      </span>
    );
  return (
    <span className="inline-flex rounded-full bg-slate-50 px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-inset ring-slate-200">
      Carregado: ?
    </span>
  );
}

function IdV1({ id, rotulo }: { id: string; rotulo: string }) {
  return (
    <span className="flex flex-wrap items-center gap-2">
      <code className="break-all text-xs">{id}</code>
      <BotaoCopiar texto={id} rotuloAcessivel={`Copiar ${rotulo} ${id}`} />
    </span>
  );
}

function Servidor({ s }: { s: ServidorDoModelo }) {
  return (
    <li
      className="space-y-1"
      aria-label={`${s.nome}: ${s.carregado === true ? "carregado" : s.carregado === false ? "não carregado" : "estado desconhecido"}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <Link href={`/provedores-llm/${s.provedor_id}/modelos`} className="font-medium text-sky-800 hover:underline">
          {s.nome}
        </Link>
        <span className="text-xs text-slate-500">{ROTULO_TIPO[s.tipo]}</span>
        <BadgeStatus status={s.status} />
        <ChipCarregado carregado={s.carregado} />
        <AcoesNoServidor servidor={s} />
      </div>
      <IdV1 id={s.id_fixo} rotulo="o id fixo" />
    </li>
  );
}

const detalhe = (rotulo: string, valor: string | null) =>
  valor ? (
    <span>
      <span className="text-slate-500">{rotulo}:</span> {valor}
    </span>
  ) : null;

function Linha({ m }: { m: ModeloDoCatalogo }) {
  return (
    <tr className="align-top">
      <th scope="row" className="px-3 py-2 text-left font-normal">
        <span className="block font-mono text-xs font-semibold">{m.modelo}</span>
        <span className="mt-1 block space-y-1">
          {m.ids.map((id) => (
            <IdV1 key={id} id={id} rotulo="o id" />
          ))}
        </span>
      </th>
      <td className="px-3 py-2 text-xs">
        <span className="flex flex-col gap-0.5">
          {detalhe("Família", m.familia)}
          {detalhe("Parâmetros", m.parametros)}
          {detalhe("Quantização", m.quantizacao)}
          {detalhe("Tamanho", m.tamanho_bytes === null ? null : tamanho(m.tamanho_bytes))}
          {detalhe("Contexto", m.contexto_max === null ? null : inteiro(m.contexto_max))}
        </span>
      </td>
      <td className="px-3 py-2 text-xs">
        {m.capacidades.map((c) => ROTULO_CAPACIDADE[c]).join(", ")}
        {m.capacidades_informadas ? null : <span className="block text-slate-500">(presumida)</span>}
      </td>
      <td className="px-3 py-2">
        <ul className="space-y-2">
          {m.servidores.map((s) => (
            <Servidor key={`${s.provedor_id}/${s.modelo}`} s={s} />
          ))}
        </ul>
      </td>
      <td className="whitespace-nowrap px-3 py-2 text-right text-xs">
        <span className="block">{inteiro(m.uso_24h.requisicoes)} req.</span>
        <span className="block text-slate-600">{inteiro(m.uso_24h.tokens)} tokens</span>
        {m.uso_24h.erros ? <span className="block text-red-700">{inteiro(m.uso_24h.erros)} erro(s)</span> : null}
      </td>
    </tr>
  );
}

/** Every model of the catalogue: what the caches say of it, its /v1 ids to copy, each server with its state and actions. */
export function TabelaCatalogo({ modelos }: { modelos: ModeloDoCatalogo[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm" aria-label="Catálogo de modelos">
        <CabecalhoTabela maiusculas colunas={COLUNAS} />
        <tbody className="divide-y divide-slate-100">
          {modelos.map((m) => (
            <Linha key={m.ids.join(" ")} m={m} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
