import "server-only";
import { z } from "zod";
import { ErroApp } from "../errors";
import type { ModeloLLM, Tokens } from "../schemas/llm";
import { abrirRotaDoServidor, type RespostaDoServidor, type RotaDoServidor } from "./abrir-rota-do-servidor";
import { ClienteHttp, erroDeStatus, lerCorpoSolto, mensagemDeErro } from "./http";
import { FimDasEscolhas, fimDoStreamOpenAI, jsonDoEventoOpenAI, lotesSSE, STREAM_CORTADO } from "./ler-eventos-do-stream";
import { abrirStreamComUso, esquecerRecusaDeOpcoes } from "./uso-no-stream";
import type { AcoesModelos } from "../schemas/llm";
import { acaoNaoSuportada, nenhumaAcao, type OpcoesCarregar, type ProgressoDownload } from "./acoes-modelos";
import type { AdaptadorLLM, AlvoProvedor, InfoServidor, PedacoChat, PedidoChat, RespostaChat, Verificacao } from "./tipos";

const SEM_GERENCIAMENTO = "a API OpenAI-compatível não tem rotas para gerenciar modelos; faça isso no próprio servidor.";

const Uso = z
  .looseObject({
    prompt_tokens: z.number().nullish(),
    completion_tokens: z.number().nullish(),
    total_tokens: z.number().nullish(),
  })
  .nullish();

const ListaModelosOpenAI = z.looseObject({
  // Ollama's /v1/models says `data: null` when it has no model.
  data: z.array(z.looseObject({ id: z.string() })).nullable(),
});

const RespostaChatOpenAI = z.looseObject({
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({ content: z.string().nullish(), reasoning_content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: Uso,
});

const PedacoChatOpenAI = z.looseObject({
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        delta: z.looseObject({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: Uso,
});

export function formato<S extends z.ZodType>(schema: S, dados: unknown, onde: string): z.output<S> {
  const r = schema.safeParse(dados);
  if (r.success) return r.data;
  throw new ErroApp(
    "provedor_erro",
    `O servidor respondeu em ${onde} num formato inesperado: não parece um servidor LLM do tipo escolhido.`,
  );
}

export function tokensDe(uso: z.output<typeof Uso>): Tokens {
  const prompt = uso?.prompt_tokens ?? null;
  const resposta = uso?.completion_tokens ?? null;
  const total = uso?.total_tokens ?? (prompt !== null && resposta !== null ? prompt + resposta : null);
  return { prompt, resposta, total };
}

export function modeloSimples(id: string, detalhes: Record<string, unknown> | null = null): ModeloLLM {
  return {
    modelo: id,
    nome: id,
    tamanho_bytes: null,
    familia: null,
    parametros: null,
    quantizacao: null,
    contexto_max: null,
    carregado: null,
    detalhes,
  };
}

/**
 * The OpenAI-compatible API (`/v1/models`, `/v1/chat/completions` with SSE), shared by LM Studio,
 * llama.cpp and any other compatible server. Subclasses add what their server knows natively.
 */
export class AdaptadorOpenAI implements AdaptadorLLM {
  protected readonly http: ClienteHttp;

  constructor(protected readonly alvo: AlvoProvedor) {
    this.http = new ClienteHttp(alvo);
  }

  abrirRota(
    rota: RotaDoServidor,
    corpo: Record<string, unknown>,
    signal?: AbortSignal,
    limparEvento?: (dados: string) => string,
  ): Promise<RespostaDoServidor> {
    return abrirRotaDoServidor(this.http, this.alvo, rota, corpo, signal, limparEvento);
  }

  async testar(signal?: AbortSignal): Promise<InfoServidor> {
    // A connection test asks afresh whether the server takes stream_options (it may have been upgraded).
    esquecerRecusaDeOpcoes(this.alvo.base_url);
    return { modelos: await this.listarModelos(signal) };
  }

  /** An OpenAI-compatible server has one free route that proves it serves: its model list. */
  async verificar(signal?: AbortSignal): Promise<Verificacao> {
    await this.http.json("/v1/models", { signal });
    return { carregando: false, carregados: null };
  }

  acoesModelos(_modelos: ModeloLLM[]): AcoesModelos {
    return nenhumaAcao(SEM_GERENCIAMENTO);
  }

  async carregarModelo(_modelo: string, _opcoes: OpcoesCarregar, _signal?: AbortSignal): Promise<void> {
    throw acaoNaoSuportada("carregar", SEM_GERENCIAMENTO);
  }

  async descarregarModelo(_modelo: string, _signal?: AbortSignal): Promise<void> {
    throw acaoNaoSuportada("descarregar", SEM_GERENCIAMENTO);
  }

  async excluirModelo(_modelo: string, _signal?: AbortSignal): Promise<void> {
    throw acaoNaoSuportada("excluir", SEM_GERENCIAMENTO);
  }

  nomeCanonico(modelo: string): string {
    return modelo;
  }

  // biome-ignore lint/correctness/useYield: a server without the API refuses before any progress.
  async *baixarModelo(_modelo: string, _signal: AbortSignal): AsyncGenerator<ProgressoDownload> {
    throw acaoNaoSuportada("baixar", this.semDownload());
  }

  /** Why this server type cannot download (subclasses that can, override baixarModelo). */
  protected semDownload(): string {
    return SEM_GERENCIAMENTO;
  }

  async listarModelos(signal?: AbortSignal): Promise<ModeloLLM[]> {
    const { dados } = await this.http.json("/v1/models", { signal });
    const lista = formato(ListaModelosOpenAI, dados, "/v1/models");
    return (lista.data ?? []).map((m) => this.modeloDeV1(m));
  }

  protected modeloDeV1(m: { id: string } & Record<string, unknown>): ModeloLLM {
    const { id, object: _objeto, ...resto } = m;
    return modeloSimples(id, Object.keys(resto).length ? resto : null);
  }

  protected corpoChat(pedido: PedidoChat, stream: boolean): Record<string, unknown> {
    const c = pedido.configuracao;
    return {
      model: pedido.modelo,
      messages: pedido.mensagens,
      stream,
      ...(c.temperatura !== undefined ? { temperature: c.temperatura } : {}),
      ...(c.max_tokens !== undefined ? { max_tokens: c.max_tokens } : {}),
      ...(c.top_p !== undefined ? { top_p: c.top_p } : {}),
      ...(c.stop?.length ? { stop: c.stop } : {}),
      ...(c.seed !== undefined ? { seed: c.seed } : {}),
    };
  }

  /** The server's own generation speed, when its answer carries one. */
  protected velocidadeDoServidor(_dados: Record<string, unknown>): number | null {
    return null;
  }

  async chat(pedido: PedidoChat, signal?: AbortSignal): Promise<RespostaChat> {
    const { dados } = await this.http.json("/v1/chat/completions", { corpo: this.corpoChat(pedido, false), signal });
    const r = formato(RespostaChatOpenAI, dados, "/v1/chat/completions");
    const escolha = r.choices[0]!;
    return {
      conteudo: escolha.message.content ?? "",
      modelo: r.model ?? pedido.modelo,
      finish_reason: escolha.finish_reason ?? null,
      tokens: tokensDe(r.usage),
      tokens_por_segundo: this.velocidadeDoServidor(r),
    };
  }

  async *chatStream(pedido: PedidoChat, signal?: AbortSignal): AsyncGenerator<PedacoChat> {
    const r = await abrirStreamComUso(this.http, this.alvo, "/v1/chat/completions", this.corpoChat(pedido, true), signal);
    let terminou = false;
    try {
      if (r.status >= 400 || !r.tipoConteudo.includes("text/event-stream")) {
        // An error, or a server that ignored `stream`: read it whole and classify it.
        const dados = await lerCorpoSolto(r);
        if (r.status >= 400) throw erroDeStatus(r.status, dados, this.alvo);
        const embutido = mensagemDeErro(dados);
        if (embutido) throw new ErroApp("provedor_erro", `O servidor respondeu com erro: ${embutido}`);
        throw new ErroApp("provedor_erro", "O servidor não respondeu em streaming (text/event-stream) como esperado.");
      }
      let modelo = pedido.modelo;
      let finish: string | null = null;
      let tokens: Tokens = { prompt: null, resposta: null, total: null };
      let velocidade: number | null = null;
      const escolhas = new FimDasEscolhas();
      lido: for await (const lote of lotesSSE(r)) {
        for (const dadosTexto of lote) {
          if (fimDoStreamOpenAI(dadosTexto)) {
            terminou = true;
            break lido;
          }
          const pedaco = formato(PedacoChatOpenAI, jsonDoEventoOpenAI(dadosTexto), "o stream de /v1/chat/completions");
          if (pedaco.model) modelo = pedaco.model;
          escolhas.ver(pedaco.choices);
          const escolha = pedaco.choices?.[0];
          if (escolha?.delta?.content) yield { tipo: "delta", conteudo: escolha.delta.content };
          if (escolha?.finish_reason) finish = escolha.finish_reason;
          if (pedaco.usage) tokens = tokensDe(pedaco.usage);
          velocidade = this.velocidadeDoServidor(pedaco) ?? velocidade;
        }
      }
      if (!terminou && !escolhas.inteira) throw new ErroApp("provedor_erro", STREAM_CORTADO);
      yield { tipo: "fim", modelo, finish_reason: finish, tokens, tokens_por_segundo: velocidade };
    } finally {
      r.fechar(terminou);
    }
  }
}
