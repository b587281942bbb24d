"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormProvider, useForm, type Resolver } from "react-hook-form";
import { atualizarProvedorAcao, criarProvedorAcao } from "@/app/provedores-llm/actions";
import type { LimiteEmVigor } from "@/lib/provedores/limite-em-vigor";
import type { FalhaAcao } from "@/lib/resultado-acao";
import { ProvedorLLMAtualizar, ProvedorLLMCriar, type ProvedorLLM, type ProvedorLLMCriarEntrada } from "@/lib/schemas/provedor";
import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";
import { useAviso } from "../toast";
import { Botao } from "../ui/botao";
import { ErroNoLugar } from "../ui/erro-no-lugar";
import { useAcaoServidor } from "../ui/use-acao-servidor";
import { CampoApiKey } from "./campo-api-key";
import type { NomeCampo } from "./campo-do-formulario";
import { CamposFila } from "./campos-fila";
import { CamposGeracao } from "./campos-geracao";
import { CamposServidor } from "./campos-servidor";
import { CamposUso } from "./campos-uso";
import { valoresIniciais } from "./valores-iniciais";

type Props = {
  /** What "automatic" means for each type (lib/provedores/limite-em-vigor.ts), worked out by the page. */
  automaticos: Record<TipoProvedor, LimiteEmVigor>;
} & ({ modo: "criar" } | { modo: "editar"; provedor: ProvedorLLM });

const salvar = (id: number | null, dados: ProvedorLLMCriarEntrada) =>
  id === null ? criarProvedorAcao(dados) : atualizarProvedorAcao(id, dados);

/** Creates or edits a provider: the sections below share one form; errors show under their fields. */
export function FormularioProvedor(props: Props) {
  const router = useRouter();
  const avisar = useAviso();
  const [removerChave, setRemoverChave] = useState(false);
  const edicao = props.modo === "editar" ? props.provedor : null;

  // The edit form always holds every field, so its values have the create form's shape.
  const resolver = (edicao ? zodResolver(ProvedorLLMAtualizar) : zodResolver(ProvedorLLMCriar)) as Resolver<ProvedorLLMCriarEntrada>;
  const form = useForm<ProvedorLLMCriarEntrada>({ resolver, defaultValues: valoresIniciais(edicao), mode: "onTouched" });

  // Field errors show in place; anything else goes on top of the form and in a toast.
  const camposComErro = (falha: FalhaAcao) => {
    const campos = Object.entries(falha.campos ?? {}).filter(([campo]) => campo !== "_");
    for (const [campo, mensagens] of campos) form.setError(campo as NomeCampo, { message: mensagens[0] });
    return campos.length > 0;
  };
  const { executar, pendente, erro } = useAcaoServidor(salvar, {
    mostrarErro: "aviso-e-no-lugar",
    tratarFalha: camposComErro,
    aoConcluir: (p) => {
      avisar(edicao ? `Provedor "${p.nome}" atualizado.` : `Provedor "${p.nome}" criado.`);
      router.push(edicao ? `/provedores-llm/${p.id}/detalhes` : "/provedores-llm");
      router.refresh();
    },
  });
  // isSubmitting ends when the save resolves; the hook stays pending until the page it went to has rendered.
  const salvando = form.formState.isSubmitting || pendente;

  const enviar = form.handleSubmit(async (valores) => {
    const dados = { ...valores };
    if (edicao) {
      if (removerChave) dados.api_key = null;
      else if (!dados.api_key) delete dados.api_key;
    }
    await executar(edicao?.id ?? null, dados);
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={enviar} noValidate className="space-y-6">
        <ErroNoLugar mensagem={erro?.mensagem} />

        <div className="grid gap-5 sm:grid-cols-2">
          <CamposServidor />
          <CampoApiKey
            chaveSalva={edicao?.api_key_configurada ?? false}
            removerChave={removerChave}
            aoMudarRemoverChave={setRemoverChave}
          />
          <CamposUso />
        </div>

        <CamposFila automaticos={props.automaticos} />

        <CamposGeracao />

        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" {...form.register("ativo")} />
          Ativo (aceita requisições)
        </label>

        <div className="flex flex-wrap items-center gap-3">
          <Botao type="submit" pendente={salvando} textoPendente="Salvando…" className="shadow-sm">
            {edicao ? "Salvar alterações" : "Cadastrar provedor"}
          </Botao>
          <Link
            href={edicao ? `/provedores-llm/${edicao.id}/detalhes` : "/provedores-llm"}
            className="text-sm text-slate-700 underline-offset-2 hover:underline"
          >
            Cancelar
          </Link>
        </div>
      </form>
    </FormProvider>
  );
}
