import "server-only";
import { FimDasEscolhas, fimDoStreamOpenAI, jsonDoEventoOpenAI, STREAM_CORTADO } from "../../adapters/ler-eventos-do-stream";
import { type DialetoDoServidor, FIM, type LeitorDoStream, OMITIR, PASSAR, type Uso } from "../pedido";

type UsoOpenAI = { prompt_tokens?: number; completion_tokens?: number } | null | undefined;
type ChunkOpenAI = { choices?: unknown; usage?: UsoOpenAI };
type EscolhaOpenAI = { delta?: { content?: unknown } | null; text?: unknown } | null | undefined;

const usoDe = (u: UsoOpenAI): Uso => ({ prompt: u?.prompt_tokens ?? null, resposta: u?.completion_tokens ?? null });

/**
 * A server's OpenAI stream (chat or completions), read for the statistics (first token, usage) and to know it is
 * whole: `[DONE]`, or a clean close once every choice it opened has its `finish_reason` (FimDasEscolhas; the usage
 * chunk and `[DONE]` that every server in provider-apis.md sends after it may be lost to a proxy). The usage chunk
 * the app asked for on its own (the caller did not: `passarUso` false) is not passed on.
 */
class LeitorOpenAI implements LeitorDoStream {
  private readonly escolhas = new FimDasEscolhas();
  comTexto = false;
  json: unknown;
  uso: Uso = { prompt: null, resposta: null };
  readonly corte = STREAM_CORTADO;

  constructor(private readonly passarUso: boolean) {}

  get inteira(): boolean {
    return this.escolhas.inteira;
  }

  ler(dados: string): number {
    if (fimDoStreamOpenAI(dados)) return FIM;
    const chunk = jsonDoEventoOpenAI(dados) as ChunkOpenAI;
    this.json = chunk;
    const lista = Array.isArray(chunk.choices) ? (chunk.choices as EscolhaOpenAI[]) : null;
    const escolha = lista?.[0];
    this.comTexto = Boolean(escolha?.delta?.content || escolha?.text);
    this.escolhas.ver(lista);
    if (chunk.usage) this.uso = usoDe(chunk.usage);
    return !this.passarUso && chunk.usage && !lista?.length ? OMITIR : PASSAR;
  }
}

/** The OpenAI dialect every server type speaks: `passarUso` says whether the caller asked for the usage chunk. */
export function dialetoOpenAI(passarUso: boolean): DialetoDoServidor {
  return {
    leitor: () => new LeitorOpenAI(passarUso),
    usoDoJson: (dados) => usoDe((dados as { usage?: UsoOpenAI } | null)?.usage),
  };
}
