import { ErroApp } from "../errors";

export const LIMITE_CORPO_BYTES = 256 * 1024;
/** Chat requests carry whole conversations. */
export const LIMITE_REQUISICAO_LLM_BYTES = 8 * 1024 * 1024;

/** Reads a JSON body, refusing oversize or malformed input with the contract's errors. */
export async function lerCorpoJson(request: Request, limite = LIMITE_CORPO_BYTES): Promise<unknown> {
  const declarado = Number(request.headers.get("content-length") ?? "0");
  if (declarado > limite) throw erroGrande(limite);
  const partes: Uint8Array[] = [];
  let total = 0;
  if (request.body) {
    const leitor = request.body.getReader();
    for (;;) {
      const { done, value } = await leitor.read();
      if (done) break;
      total += value.byteLength;
      if (total > limite) {
        await leitor.cancel();
        throw erroGrande(limite);
      }
      partes.push(value);
    }
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
