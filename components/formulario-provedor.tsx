"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useForm, type FieldPath, type Resolver } from "react-hook-form";
import { atualizarProvedorAcao, criarProvedorAcao } from "@/app/provedores-llm/actions";
import { URL_PADRAO } from "@/lib/schemas/base-url";
import { TIPOS_PROVEDOR, type TipoProvedor } from "@/lib/schemas/tipo-e-status";
import { ProvedorLLMAtualizar, ProvedorLLMCriar, type ProvedorLLM, type ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";
import { ROTULO_TIPO } from "./rotulos";
import { useAviso } from "./toast";

type Props = { modo: "criar" } | { modo: "editar"; provedor: ProvedorLLM };

const numeroOuVazio = (v: unknown) => (v === "" || v === null || v === undefined ? undefined : Number(v));

function valoresIniciais(props: Props): ProvedorLLMCriarEntrada {
  if (props.modo === "criar") {
    return {
      nome: "",
      tipo: "lm_studio",
      base_url: URL_PADRAO.lm_studio ?? "",
      descricao: "",
      api_key: "",
      ativo: true,
      timeout_segundos: 60,
      intervalo_verificacao_segundos: 30,
      configuracao: {},
      modelo_padrao: "",
    };
  }
  const p = props.provedor;
  return {
    nome: p.nome,
    tipo: p.tipo,
    base_url: p.base_url,
    descricao: p.descricao ?? "",
    api_key: "",
    ativo: p.ativo,
    timeout_segundos: p.timeout_segundos,
    intervalo_verificacao_segundos: p.intervalo_verificacao_segundos,
    configuracao: p.configuracao,
    modelo_padrao: p.modelo_padrao ?? "",
  };
}

export function FormularioProvedor(props: Props) {
  const router = useRouter();
  const avisar = useAviso();
  const idBase = useId();
  const [erroGeral, setErroGeral] = useState<string | null>(null);
  const [removerChave, setRemoverChave] = useState(false);
  const edicao = props.modo === "editar" ? props.provedor : null;

  // The edit form always holds every field, so its values have the create form's shape.
  const resolver = (edicao ? zodResolver(ProvedorLLMAtualizar) : zodResolver(ProvedorLLMCriar)) as Resolver<ProvedorLLMCriarEntrada>;
  const form = useForm<ProvedorLLMCriarEntrada>({ resolver, defaultValues: valoresIniciais(props), mode: "onTouched" });
  const { register, handleSubmit, formState, setError, getValues, setValue } = form;
  const erros = formState.errors;

  const aoMudarTipo = (novo: TipoProvedor) => {
    const atual = (getValues("base_url") ?? "").trim();
    const padroes = Object.values(URL_PADRAO);
    // Replace the URL only when it is empty or still some type's default: never what the user typed.
    if (!atual || padroes.includes(atual)) setValue("base_url", URL_PADRAO[novo] ?? "", { shouldValidate: false });
  };

  const enviar = handleSubmit(async (valores) => {
    setErroGeral(null);
    const dados = { ...valores };
    if (edicao) {
      if (removerChave) dados.api_key = null;
      else if (!dados.api_key) delete dados.api_key;
    }
    const r = edicao ? await atualizarProvedorAcao(edicao.id, dados) : await criarProvedorAcao(dados);
    if (!r.ok) {
      let algumCampo = false;
      for (const [campo, mensagens] of Object.entries(r.campos ?? {})) {
        if (campo === "_") continue;
        setError(campo as FieldPath<ProvedorLLMCriarEntrada>, { message: mensagens[0] });
        algumCampo = true;
      }
      // Field errors show in place; anything else goes on top of the form and in a toast.
      if (!algumCampo) {
        setErroGeral(r.mensagem);
        avisar(r.mensagem, "erro");
      }
      return;
    }
    avisar(edicao ? `Provedor "${r.dados.nome}" atualizado.` : `Provedor "${r.dados.nome}" criado.`);
    router.push(edicao ? `/provedores-llm/${r.dados.id}/detalhes` : "/provedores-llm");
    router.refresh();
  });

  const id = (campo: string) => `${idBase}-${campo}`;
  const erroDe = (campo: string): string | undefined => {
    const partes = campo.split(".");
    let no: unknown = erros;
    for (const p of partes) no = (no as Record<string, unknown> | undefined)?.[p];
    return (no as { message?: string } | undefined)?.message;
  };
  const descricaoErro = (campo: string) => (erroDe(campo) ? { "aria-invalid": true, "aria-describedby": `${id(campo)}-erro` } : {});
  const mensagemErro = (campo: string) =>
    erroDe(campo) ? (
      <p id={`${id(campo)}-erro`} className="mt-1 text-sm text-red-700">
        {erroDe(campo)}
      </p>
    ) : null;

  const entrada =
    "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-600/30 aria-[invalid=true]:border-red-600";
  const rotulo = "block text-sm font-medium text-slate-800";

  return (
    <form onSubmit={enviar} noValidate className="space-y-6">
      {erroGeral ? (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          {erroGeral}
        </div>
      ) : null}

      <div className="grid gap-5 sm:grid-cols-2">
        <div>
          <label htmlFor={id("nome")} className={rotulo}>
            Nome
          </label>
          <input
            id={id("nome")}
            className={entrada}
            autoComplete="off"
            placeholder="Ex.: Ollama do escritório"
            {...register("nome")}
            {...descricaoErro("nome")}
          />
          {mensagemErro("nome")}
        </div>
        <div>
          <label htmlFor={id("tipo")} className={rotulo}>
            Tipo
          </label>
          <select
            id={id("tipo")}
            className={entrada}
            {...register("tipo", { onChange: (e) => aoMudarTipo(e.target.value as TipoProvedor) })}
            {...descricaoErro("tipo")}
          >
            {TIPOS_PROVEDOR.map((t) => (
              <option key={t} value={t}>
                {ROTULO_TIPO[t]}
              </option>
            ))}
          </select>
          {mensagemErro("tipo")}
        </div>
        <div className="sm:col-span-2">
          <label htmlFor={id("base_url")} className={rotulo}>
            URL base
          </label>
          <input
            id={id("base_url")}
            className={entrada}
            inputMode="url"
            autoComplete="off"
            placeholder="http://localhost:1234"
            {...register("base_url")}
            {...descricaoErro("base_url")}
          />
          <p className="mt-1 text-xs text-slate-500">Endereço do servidor, sem /v1 (se você colar com /v1, ele é removido).</p>
          {mensagemErro("base_url")}
        </div>
        <div className="sm:col-span-2">
          <label htmlFor={id("api_key")} className={rotulo}>
            API key (opcional)
          </label>
          <input
            id={id("api_key")}
            type="password"
            className={entrada}
            autoComplete="new-password"
            placeholder={edicao?.api_key_configurada ? "Chave configurada — deixe em branco para manter" : "Só se o servidor exigir"}
            disabled={removerChave}
            {...register("api_key")}
            {...descricaoErro("api_key")}
          />
          {edicao?.api_key_configurada ? (
            <p className="mt-1 text-xs text-slate-500">
              Se você mudar a URL base, a chave salva é apagada (ela não é enviada a outro servidor): informe-a de novo se o novo endereço
              exigir.
            </p>
          ) : null}
          {edicao?.api_key_configurada ? (
            <label className="mt-2 flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={removerChave} onChange={(e) => setRemoverChave(e.target.checked)} />
              Remover a API key salva
            </label>
          ) : null}
          {mensagemErro("api_key")}
        </div>
        <div className="sm:col-span-2">
          <label htmlFor={id("descricao")} className={rotulo}>
            Descrição (opcional)
          </label>
          <textarea id={id("descricao")} rows={2} className={entrada} {...register("descricao")} {...descricaoErro("descricao")} />
          {mensagemErro("descricao")}
        </div>
        <div>
          <label htmlFor={id("timeout_segundos")} className={rotulo}>
            Timeout (segundos)
          </label>
          <input
            id={id("timeout_segundos")}
            type="number"
            min={1}
            max={600}
            className={entrada}
            {...register("timeout_segundos", { setValueAs: numeroOuVazio })}
            {...descricaoErro("timeout_segundos")}
          />
          {mensagemErro("timeout_segundos")}
        </div>
        <div>
          <label htmlFor={id("intervalo_verificacao_segundos")} className={rotulo}>
            Verificar a cada (segundos)
          </label>
          <input
            id={id("intervalo_verificacao_segundos")}
            type="number"
            min={5}
            max={3600}
            className={entrada}
            {...register("intervalo_verificacao_segundos", { setValueAs: numeroOuVazio })}
            {...descricaoErro("intervalo_verificacao_segundos")}
          />
          {mensagemErro("intervalo_verificacao_segundos")}
        </div>
        <div>
          <label htmlFor={id("modelo_padrao")} className={rotulo}>
            Modelo padrão (opcional)
          </label>
          <input
            id={id("modelo_padrao")}
            className={entrada}
            autoComplete="off"
            placeholder="Ex.: llama3.2:latest"
            {...register("modelo_padrao")}
            {...descricaoErro("modelo_padrao")}
          />
          {mensagemErro("modelo_padrao")}
        </div>
      </div>

      <fieldset className="rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-medium text-slate-800">Geração padrão (opcional)</legend>
        <div className="grid gap-5 sm:grid-cols-3">
          <div>
            <label htmlFor={id("temperatura")} className={rotulo}>
              Temperatura
            </label>
            <input
              id={id("temperatura")}
              type="number"
              step="0.1"
              min={0}
              max={2}
              className={entrada}
              {...register("configuracao.temperatura", { setValueAs: numeroOuVazio })}
              {...descricaoErro("configuracao.temperatura")}
            />
            {mensagemErro("configuracao.temperatura")}
          </div>
          <div>
            <label htmlFor={id("max_tokens")} className={rotulo}>
              Máx. de tokens
            </label>
            <input
              id={id("max_tokens")}
              type="number"
              min={1}
              className={entrada}
              {...register("configuracao.max_tokens", { setValueAs: numeroOuVazio })}
              {...descricaoErro("configuracao.max_tokens")}
            />
            {mensagemErro("configuracao.max_tokens")}
          </div>
          <div>
            <label htmlFor={id("top_p")} className={rotulo}>
              top_p
            </label>
            <input
              id={id("top_p")}
              type="number"
              step="0.05"
              min={0}
              max={1}
              className={entrada}
              {...register("configuracao.top_p", { setValueAs: numeroOuVazio })}
              {...descricaoErro("configuracao.top_p")}
            />
            {mensagemErro("configuracao.top_p")}
          </div>
        </div>
      </fieldset>

      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" {...register("ativo")} />
        Ativo (aceita requisições)
      </label>

      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={formState.isSubmitting}
          className="rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-sky-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 focus-visible:ring-offset-2 disabled:cursor-wait disabled:opacity-60"
        >
          {formState.isSubmitting ? "Salvando…" : edicao ? "Salvar alterações" : "Cadastrar provedor"}
        </button>
        <Link
          href={edicao ? `/provedores-llm/${edicao.id}/detalhes` : "/provedores-llm"}
          className="text-sm text-slate-700 underline-offset-2 hover:underline"
        >
          Cancelar
        </Link>
      </div>
    </form>
  );
}
