"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ComponentProps, type ReactNode, useId, useMemo, useState } from "react";
import { type FieldErrors, FormProvider, type Resolver, useForm, useFormContext } from "react-hook-form";
import { atualizarChaveAcao, criarChaveAcao } from "@/app/chaves/actions";
import type { FalhaAcao } from "@/lib/resultado-acao";
import { type ChaveAcesso, ChaveAcessoAtualizar, type ChaveAcessoCriada, ChaveAcessoCriar } from "@/lib/schemas/chave";
import { PORTAS } from "@/lib/schemas/llm";
import { ROTULO_PORTA } from "../rotulos";
import { useAviso } from "../toast";
import { Botao } from "../ui/botao";
import { Campo } from "../ui/campo";
import { ErroNoLugar } from "../ui/erro-no-lugar";
import { useAcaoServidor } from "../ui/use-acao-servidor";
import type { OpcaoProvedor } from "./escopo";
import { SegredoCriado } from "./segredo-criado";
import {
  CAMPOS_DE_LIMITE,
  campoDoErro,
  mensagemDoFormulario,
  paraCorpo,
  type ValoresChave,
  valoresIniciais,
} from "./valores-do-formulario";

type Props = { provedores: OpcaoProvedor[]; raiz: string } & ({ modo: "criar" } | { modo: "editar"; chave: ChaveAcesso });

const mensagemDe = (erros: FieldErrors<ValoresChave>, nome: string): string | undefined =>
  (erros as Record<string, { message?: string } | undefined>)[nome]?.message;

/** The contract's schema checks the body the form would send; each issue shows under its field. */
function resolverDe(inicial: ValoresChave | null): Resolver<ValoresChave> {
  return async (valores) => {
    const corpo = paraCorpo(valores, inicial);
    const r = (inicial ? ChaveAcessoAtualizar : ChaveAcessoCriar).safeParse(corpo);
    if (r.success) return { values: valores, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const issue of r.error.issues) {
      const caminho = issue.path.map(String).join(".");
      errors[campoDoErro(caminho)] ??= { type: "validate", message: mensagemDoFormulario(caminho, issue.message) };
    }
    return { values: {}, errors: errors as FieldErrors<ValoresChave> };
  };
}

function CampoChave({ nome, ...props }: Omit<ComponentProps<typeof Campo>, "erro"> & { nome: keyof ValoresChave }) {
  const { formState } = useFormContext<ValoresChave>();
  return <Campo {...props} erro={mensagemDe(formState.errors, nome)} />;
}

/** A scope list: "all", or only the ones checked; its error under it. */
function Grupo({
  legenda,
  nome,
  todos,
  alguns,
  children,
}: {
  legenda: string;
  nome: "provedores" | "modelos" | "portas";
  todos: string;
  alguns: string;
  children: ReactNode;
}) {
  const { register, watch, formState } = useFormContext<ValoresChave>();
  const erro = mensagemDe(formState.errors, nome);
  const idErro = useId();
  const modo = `${nome}_modo` as const;
  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" aria-describedby={erro ? idErro : undefined}>
      <legend className="px-1 text-sm font-medium text-slate-800">{legenda}</legend>
      <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm text-slate-800">
        <label className="flex items-center gap-2">
          <input type="radio" value="todos" {...register(modo)} />
          {todos}
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" value="alguns" {...register(modo)} />
          {alguns}
        </label>
      </div>
      {watch(modo) === "alguns" ? children : null}
      {erro ? (
        <p id={idErro} className="text-sm text-red-700">
          {erro}
        </p>
      ) : null}
    </fieldset>
  );
}

function Caixa({ nome, valor, children }: { nome: "provedores" | "modelos" | "portas"; valor: string; children: ReactNode }) {
  const { register } = useFormContext<ValoresChave>();
  return (
    <label className="flex min-w-0 items-start gap-2 text-sm text-slate-800">
      <input type="checkbox" value={valor} className="mt-1" {...register(nome)} />
      <span className="min-w-0 break-words">{children}</span>
    </label>
  );
}

/** The catalogue's models, each once, with the providers that list it. */
function modelosDoCatalogo(provedores: OpcaoProvedor[]): [string, string[]][] {
  const onde = new Map<string, string[]>();
  for (const p of provedores) for (const m of p.modelos) onde.set(m, [...(onde.get(m) ?? []), p.nome]);
  return [...onde.entries()].sort(([a], [b]) => a.localeCompare(b));
}

const salvar = (id: number | null, corpo: Record<string, unknown>) => (id === null ? criarChaveAcao(corpo) : atualizarChaveAcao(id, corpo));

/**
 * Creates or edits an access key: name, scope (providers, models and patterns, doors), limits, expiry. Errors
 * show under their fields, from the contract's schema here and from the service. A new key's secret shows once.
 */
export function FormularioChave(props: Props) {
  const router = useRouter();
  const avisar = useAviso();
  const edicao = props.modo === "editar" ? props.chave : null;
  const catalogo = useMemo(() => modelosDoCatalogo(props.provedores), [props.provedores]);
  const inicial = useMemo(() => valoresIniciais(edicao, new Set(catalogo.map(([m]) => m))), [edicao, catalogo]);
  const form = useForm<ValoresChave>({ resolver: resolverDe(edicao ? inicial : null), defaultValues: inicial, mode: "onTouched" });
  const [criada, setCriada] = useState<ChaveAcessoCriada | null>(null);

  const camposComErro = (falha: FalhaAcao) => {
    const campos = Object.entries(falha.campos ?? {}).map(([c, m]) => [campoDoErro(c), mensagemDoFormulario(c, m[0] ?? "")] as const);
    for (const [campo, mensagem] of campos) form.setError(campo as keyof ValoresChave, { message: mensagem });
    return campos.length > 0;
  };
  const { executar, pendente, erro } = useAcaoServidor(salvar, {
    mostrarErro: "aviso-e-no-lugar",
    tratarFalha: camposComErro,
    aoConcluir: (c) => {
      if (edicao) {
        avisar(`Chave "${c.nome}" atualizada.`);
        router.refresh();
      } else {
        setCriada(c as ChaveAcessoCriada);
        avisar(`Chave "${c.nome}" criada.`);
      }
    },
  });
  const salvando = form.formState.isSubmitting || pendente;
  const enviar = form.handleSubmit(async (valores) => {
    await executar(edicao?.id ?? null, paraCorpo(valores, edicao ? inicial : null));
  });

  if (criada) return <SegredoCriado chave={criada} raiz={props.raiz} provedores={props.provedores} />;

  const { register } = form;
  return (
    <FormProvider {...form}>
      <form onSubmit={enviar} noValidate className="space-y-6">
        <ErroNoLugar mensagem={erro?.mensagem ?? form.formState.errors.root?.message} />

        <div className="grid gap-5 sm:grid-cols-2">
          <CampoChave nome="nome" rotulo="Nome" dica="Quem ou o que vai usar a chave: aparece nas estatísticas.">
            {(a) => <input {...a} autoComplete="off" placeholder="Ex.: notebook da Ana" {...register("nome")} />}
          </CampoChave>
          <CampoChave nome="expira_em" rotulo="Expira em (opcional)" dica="A chave deixa de valer à 0h deste dia. Vazio: não expira.">
            {(a) => <input {...a} type="date" {...register("expira_em")} />}
          </CampoChave>
          <CampoChave nome="descricao" rotulo="Descrição (opcional)" className="sm:col-span-2">
            {(a) => <textarea {...a} rows={2} {...register("descricao")} />}
          </CampoChave>
        </div>

        <Grupo legenda="Provedores" nome="provedores" todos="Todos os provedores" alguns="Só estes provedores">
          {props.provedores.length ? (
            <div className="grid gap-2 sm:grid-cols-2">
              {props.provedores.map((p) => (
                <Caixa key={p.id} nome="provedores" valor={String(p.id)}>
                  {p.nome}
                </Caixa>
              ))}
            </div>
          ) : (
            <p className="text-sm text-slate-600">Nenhum provedor cadastrado ainda.</p>
          )}
        </Grupo>

        <Grupo legenda="Modelos" nome="modelos" todos="Todos os modelos" alguns="Só estes modelos">
          {catalogo.length ? (
            <div className="grid gap-2 sm:grid-cols-2">
              {catalogo.map(([modelo, onde]) => (
                <Caixa key={modelo} nome="modelos" valor={modelo}>
                  <span className="font-mono text-xs">{modelo}</span> <span className="text-xs text-slate-500">({onde.join(", ")})</span>
                </Caixa>
              ))}
            </div>
          ) : null}
          <CampoChave
            nome="modelos_padroes"
            rotulo="Outros modelos ou padrões"
            dica="Separe com vírgulas. * vale qualquer sequência: llama3* cobre llama3:8b e llama3.1:70b; */qwen2.5:* fixa qualquer provedor."
          >
            {(a) => <input {...a} autoComplete="off" placeholder="llama3*, */qwen2.5:*" {...register("modelos_padroes")} />}
          </CampoChave>
        </Grupo>

        <Grupo legenda="Portas de entrada" nome="portas" todos="Todas as portas" alguns="Só estas portas">
          <div className="grid gap-2 sm:grid-cols-2">
            {PORTAS.map((porta) => (
              <Caixa key={porta} nome="portas" valor={porta}>
                {ROTULO_PORTA[porta]}
              </Caixa>
            ))}
          </div>
        </Grupo>

        <fieldset className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <legend className="px-1 text-sm font-medium text-slate-800">Limites</legend>
          <p className="text-xs text-slate-500">Vazio: sem limite. Passando de um limite, a chave recebe 429 até a janela renovar.</p>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {CAMPOS_DE_LIMITE.map(([campo, rotulo]) => (
              <CampoChave key={campo} nome={campo} rotulo={rotulo}>
                {(a) => <input {...a} type="number" min={1} step={1} inputMode="numeric" {...register(campo)} />}
              </CampoChave>
            ))}
          </div>
          <CampoChave
            nome="prioridade"
            rotulo="Prioridade na fila"
            dica="De -10 a 10 (padrão 0). Quando um provedor está no limite, entre as requisições que esperam pelo mesmo modelo, a de maior prioridade vai antes."
            className="sm:max-w-xs"
          >
            {(a) => <input {...a} type="number" min={-10} max={10} step={1} inputMode="numeric" {...register("prioridade")} />}
          </CampoChave>
        </fieldset>

        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" {...register("ativa")} />
          Ativa (abre as portas de modelos)
        </label>

        <div className="flex flex-wrap items-center gap-3">
          <Botao type="submit" pendente={salvando} textoPendente="Salvando…" className="shadow-sm">
            {edicao ? "Salvar alterações" : "Criar chave"}
          </Botao>
          {edicao ? (
            <Botao variante="secundario" forma="texto" onClick={() => form.reset(inicial)}>
              Desfazer alterações
            </Botao>
          ) : (
            <Link href="/chaves" className="text-sm text-slate-700 underline-offset-2 hover:underline">
              Cancelar
            </Link>
          )}
        </div>
      </form>
    </FormProvider>
  );
}
