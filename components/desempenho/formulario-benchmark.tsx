"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import {
  type Benchmark,
  excessoDoPerfil,
  NovoBenchmark,
  PERFIS_PRESET,
  type PerfilBenchmark,
  perfilDoPedido,
  totalDeRequisicoes,
} from "@/lib/schemas/benchmark";
import { inteiro } from "../formatos";
import { Botao } from "../ui/botao";
import { Campo } from "../ui/campo";
import { ErroNoLugar } from "../ui/erro-no-lugar";
import { iniciarPelaApi } from "./api-benchmarks";

export type ModeloParaBenchmark = { id: string; carregado: boolean | null };
type Escolha = "rapido" | "completo" | "personalizado";
type Personalizado = { tokens_prompt: string; tokens_resposta: string; concorrencias: string; repeticoes: string };

const ESCOLHAS: [Escolha, string, string][] = [
  ["rapido", "Rápido", "menos de um minuto num modelo pequeno"],
  ["completo", "Completo", "a varredura inteira"],
  ["personalizado", "Personalizado", "os seus valores"],
];

const comoTexto = (p: PerfilBenchmark): Personalizado => ({
  tokens_prompt: p.tokens_prompt.join(", "),
  tokens_resposta: String(p.tokens_resposta),
  concorrencias: p.concorrencias.join(", "),
  repeticoes: String(p.repeticoes),
});

/** "128, 1024" → [128, 1024]; a word that is not a number stays NaN, so the schema names the field. */
const lista = (s: string) =>
  s
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map(Number);

/** The request body the form stands for: the preset, plus every custom field when "Personalizado". */
function corpoDoFormulario(modelo: string, escolha: Escolha, p: Personalizado): unknown {
  if (escolha !== "personalizado") return { modelo, preset: escolha };
  return {
    modelo,
    tokens_prompt: lista(p.tokens_prompt),
    tokens_resposta: p.tokens_resposta.trim() === "" ? undefined : Number(p.tokens_resposta),
    concorrencias: lista(p.concorrencias),
    repeticoes: p.repeticoes.trim() === "" ? undefined : Number(p.repeticoes),
  };
}

/** Loaded models first (the server answers at once), then the others by name. */
function ordenarModelos(modelos: ModeloParaBenchmark[]) {
  return [...modelos].sort((a, b) => Number(b.carregado === true) - Number(a.carregado === true) || a.id.localeCompare(b.id));
}

/** Model, preset or custom profile, the total requests shown before starting, and Iniciar (POST to the REST API). */
export function FormularioBenchmark({
  provedorId,
  modelos,
  bloqueado,
  aoIniciar,
}: {
  provedorId: number;
  modelos: ModeloParaBenchmark[];
  /** A run of this provider is going on: one at a time. */
  bloqueado: boolean;
  aoIniciar: (b: Benchmark) => void;
}) {
  const router = useRouter();
  const ordenados = ordenarModelos(modelos);
  const [modelo, setModelo] = useState(ordenados[0]?.id ?? "");
  const [escolha, setEscolha] = useState<Escolha>("rapido");
  const [personalizado, setPersonalizado] = useState<Personalizado>(comoTexto(PERFIS_PRESET.rapido));
  const [enviando, setEnviando] = useState(false);
  const [erro, setErro] = useState<string | null>(null);

  const validado = NovoBenchmark.safeParse(corpoDoFormulario(modelo, escolha, personalizado));
  const errosDeCampo: Partial<Record<string, string>> = {};
  if (!validado.success) for (const i of validado.error.issues) errosDeCampo[String(i.path[0])] ??= i.message;
  const perfil = validado.success ? perfilDoPedido(validado.data) : null;
  const excesso = perfil ? excessoDoPerfil(perfil) : null;
  const campo = (k: keyof Personalizado) => (escolha === "personalizado" ? errosDeCampo[k] : undefined);

  const enviar = async (e: FormEvent) => {
    e.preventDefault();
    if (!validado.success || excesso) return;
    setEnviando(true);
    setErro(null);
    try {
      const r = await iniciarPelaApi(provedorId, validado.data);
      if (r.ok && r.dados) aoIniciar(r.dados);
      else if (!r.ok) {
        setErro(r.mensagem);
        // Started elsewhere (another tab, the API): the page reads it again, and shows that run live.
        if (r.codigo === "benchmark_em_andamento") router.refresh();
      }
    } catch (falha) {
      setErro(`Não foi possível iniciar: ${(falha as Error).message}`);
    } finally {
      setEnviando(false);
    }
  };

  if (!modelos.length)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
        Nenhum modelo conhecido deste servidor. Teste a conexão na aba Testar ou atualize a lista na aba Modelos.
      </p>
    );

  return (
    <form onSubmit={enviar} aria-label="Nova execução" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" noValidate>
      <Campo rotulo="Modelo" erro={errosDeCampo.modelo}>
        {(a) => (
          <select {...a} value={modelo} onChange={(e) => setModelo(e.target.value)}>
            {ordenados.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
                {m.carregado ? " (carregado)" : ""}
              </option>
            ))}
          </select>
        )}
      </Campo>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Perfil</legend>
        <div className="mt-1 flex flex-wrap gap-x-5 gap-y-2">
          {ESCOLHAS.map(([valor, rotulo, dica]) => (
            <label key={valor} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="perfil"
                value={valor}
                checked={escolha === valor}
                onChange={() => {
                  // Custom starts from the preset that was chosen, to be edited.
                  if (valor === "personalizado" && escolha !== "personalizado") setPersonalizado(comoTexto(PERFIS_PRESET[escolha]));
                  setEscolha(valor);
                }}
              />
              <span>
                {rotulo} <span className="text-xs text-slate-500">({dica})</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {escolha === "personalizado" ? (
        <div className="grid gap-3 sm:grid-cols-2">
          <Campo rotulo="Tamanhos do prompt (tokens)" dica="Separados por vírgula, ex.: 128, 1024, 4096" erro={campo("tokens_prompt")}>
            {(a) => (
              <input
                {...a}
                inputMode="numeric"
                value={personalizado.tokens_prompt}
                onChange={(e) => setPersonalizado({ ...personalizado, tokens_prompt: e.target.value })}
              />
            )}
          </Campo>
          <Campo rotulo="Tokens da resposta" erro={campo("tokens_resposta")}>
            {(a) => (
              <input
                {...a}
                inputMode="numeric"
                value={personalizado.tokens_resposta}
                onChange={(e) => setPersonalizado({ ...personalizado, tokens_resposta: e.target.value })}
              />
            )}
          </Campo>
          <Campo rotulo="Concorrências" dica="Separadas por vírgula, ex.: 1, 2, 4, 8" erro={campo("concorrencias")}>
            {(a) => (
              <input
                {...a}
                inputMode="numeric"
                value={personalizado.concorrencias}
                onChange={(e) => setPersonalizado({ ...personalizado, concorrencias: e.target.value })}
              />
            )}
          </Campo>
          <Campo rotulo="Repetições" erro={campo("repeticoes")}>
            {(a) => (
              <input
                {...a}
                inputMode="numeric"
                value={personalizado.repeticoes}
                onChange={(e) => setPersonalizado({ ...personalizado, repeticoes: e.target.value })}
              />
            )}
          </Campo>
        </div>
      ) : null}
      <p className="text-sm" aria-live="polite" data-testid="total-requisicoes">
        Total: <strong>{perfil ? `${inteiro(totalDeRequisicoes(perfil))} requisições` : "—"}</strong>
        {perfil ? (
          <span className="text-slate-600">
            {" "}
            ({perfil.tokens_prompt.length} tamanho(s) de prompt × ({perfil.concorrencias.join(" + ")}) requisições simultâneas ×{" "}
            {perfil.repeticoes} repetição(ões), {inteiro(perfil.tokens_resposta)} tokens de resposta cada)
          </span>
        ) : null}
      </p>
      {excesso ? (
        <p role="alert" className="text-sm text-red-700">
          {excesso}
        </p>
      ) : null}
      <ErroNoLugar mensagem={erro} />
      <div className="flex flex-wrap items-center gap-3">
        <Botao type="submit" disabled={bloqueado || !validado.success || excesso !== null} pendente={enviando} textoPendente="Iniciando…">
          Iniciar
        </Botao>
        {bloqueado ? <span className="text-sm text-slate-600">Uma execução deste servidor está em andamento.</span> : null}
      </div>
    </form>
  );
}
