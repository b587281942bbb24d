import { ErroApp } from "../errors";

const LIMITE_CORPO_BYTES = 256 * 1024;
/** Chat requests carry whole conversations. */
export const LIMITE_REQUISICAO_LLM_BYTES = 8 * 1024 * 1024;

/** Reads a JSON body, refusing oversize or malformed input with the contract's errors. */
export async function lerCorpoJson(request: Request, limite = LIMITE_CORPO_BYTES): Promise<unknown> {
  const vazio: AsyncIterable<Uint8Array> = (async function* () {})();
  // Node's web streams are async iterable; the DOM typings do not say so.
  const corpo = request.body as unknown as AsyncIterable<Uint8Array> | null;
  return lerJsonDe(corpo ?? vazio, request.headers.get("content-length"), limite);
}

/** The same, from any byte stream (a Node request in a Pages API route). */
export async function lerJsonDe(
  fonte: AsyncIterable<Uint8Array>,
  tamanhoDeclarado: string | null | undefined,
  limite = LIMITE_CORPO_BYTES,
): Promise<unknown> {
  if (Number(tamanhoDeclarado ?? "0") > limite) throw erroGrande(limite);
  const partes: Uint8Array[] = [];
  let total = 0;
  for await (const parte of fonte) {
    total += parte.byteLength;
    if (total > limite) throw erroGrande(limite);
    partes.push(parte);
  }
  const texto = Buffer.concat(partes).toString("utf8");
  if (!texto.trim()) throw new ErroApp("json_invalido", "O corpo da requisição está vazio: envie um objeto JSON.");
  try {
    return JSON.parse(texto);
  } catch {
    throw new ErroApp("json_invalido", "O corpo não é um JSON válido: confira aspas, vírgulas e chaves.");
  }
}

function erroGrande(limite: number): ErroApp {
  return new ErroApp("corpo_muito_grande", `O corpo da requisição passa do limite de ${Math.round(limite / 1024)} KiB.`);
}
