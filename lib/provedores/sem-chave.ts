import "server-only";
import { ErroApp } from "../errors";

/**
 * Below this length a key is looked for in errors only, not in answers: a short key ("1234", "model") would
 * match ordinary text, numbers and JSON names, and masking those would change what the model said.
 */
export const CHAVE_MINIMA_NAS_RESPOSTAS = 8;

const MASCARA = "***";

/**
 * A key's written forms (as is, URL-encoded, inside a JSON string), and how to take them out of what a server
 * sent: an error's message as text; an answer inside its JSON string values only (its numbers, names and
 * syntax are never touched, so the JSON stays the same JSON); a stream's text with a tail held back while it
 * may be the start of a key the next piece completes.
 */
export class SemChave {
  private readonly formas: string[];
  /** Whether answers are searched (errors always are). */
  readonly nasRespostas: boolean;

  constructor(chave: string) {
    this.formas = [...new Set([chave, encodeURIComponent(chave), JSON.stringify(chave).slice(1, -1)])];
    this.nasRespostas = chave.length >= CHAVE_MINIMA_NAS_RESPOSTAS;
  }

  contem(texto: string): boolean {
    for (const f of this.formas) if (texto.includes(f)) return true;
    return false;
  }

  /** Every written form masked, as plain text. */
  texto(texto: string): string {
    let t = texto;
    for (const f of this.formas) if (t.includes(f)) t = t.split(f).join(MASCARA);
    return t;
  }

  /** An answer's text (a JSON body or a stream event), masked inside its string values; not JSON: as text. */
  resposta = (texto: string): string => (this.nasRespostas ? this.mascarado(texto) : texto);

  /**
   * A stream event: masked as an answer; for a short key, only an error event (`{"error": …}`, whose message
   * becomes the app's error text), which is an error however it arrived.
   */
  evento = (texto: string): string => (this.nasRespostas || texto.includes('"error"') ? this.mascarado(texto) : texto);

  private mascarado(texto: string): string {
    if (!this.contem(texto)) return texto;
    let json: unknown;
    try {
      json = JSON.parse(texto);
    } catch {
      return this.texto(texto);
    }
    return JSON.stringify(this.strings(json));
  }

  /** A value read from the server (a model list, a download's progress, a chat answer), masked in its strings. */
  valor<T>(v: T): T {
    if (!this.nasRespostas) return v;
    const json = JSON.stringify(v);
    return json !== undefined && this.contem(json) ? (this.strings(v) as T) : v;
  }

  private strings(v: unknown): unknown {
    if (typeof v === "string") return this.contem(v) ? this.texto(v) : v;
    if (Array.isArray(v)) return v.map((x) => this.strings(x));
    if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      const limpo: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) limpo[k] = this.strings(x);
      return limpo;
    }
    return v;
  }

  /**
   * A piece of streamed text joined to what was held back, masked; split into what may go now and a tail
   * kept because it is the start of a key form (the next piece may complete it).
   */
  pedaco(retido: string, pedaco: string): { pronto: string; retido: string } {
    const t = this.texto(retido + pedaco);
    let guardar = 0;
    for (const f of this.formas) guardar = Math.max(guardar, inicioNoFim(t, f));
    return guardar ? { pronto: t.slice(0, t.length - guardar), retido: t.slice(t.length - guardar) } : { pronto: t, retido: "" };
  }

  erro(erro: unknown): unknown {
    if (erro instanceof ErroApp) {
      if (!this.contem(erro.message)) return erro;
      const limpo = new ErroApp(erro.codigo, this.texto(erro.message), erro.detalhes);
      limpo.statusServidor = erro.statusServidor;
      if (erro.porEncerramento) limpo.porEncerramento = true;
      return limpo;
    }
    // Anything else is logged by comoErroApp: take the key out of what it would print.
    if (erro instanceof Error) {
      const limpo = new Error(this.texto(erro.message));
      limpo.stack = erro.stack ? this.texto(erro.stack) : undefined;
      return limpo;
    }
    return typeof erro === "string" ? this.texto(erro) : erro;
  }
}

/** The length of the longest end of `texto` that is a proper start of `forma` (0 if none). */
function inicioNoFim(texto: string, forma: string): number {
  for (let n = Math.min(forma.length - 1, texto.length); n > 0; n--) {
    if (texto.charCodeAt(texto.length - n) !== forma.charCodeAt(0)) continue;
    if (texto.endsWith(forma.slice(0, n))) return n;
  }
  return 0;
}
