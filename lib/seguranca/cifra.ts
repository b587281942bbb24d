import "server-only";
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import path from "node:path";
import { diretorioDados } from "@/db/client";
import { ErroApp } from "../errors";

const PREFIXO = "v1:";
const ARQUIVO_SEGREDO = "segredo.key";

let chaveEmCache: Buffer | null = null;

/** Reads the generated key, creating it (mode 0600) on first start; `wx` makes two processes agree. */
function chaveDoArquivo(): Buffer {
  const dir = diretorioDados();
  const arquivo = path.join(dir, ARQUIVO_SEGREDO);
  mkdirSync(dir, { recursive: true });
  try {
    const fd = openSync(arquivo, "wx", 0o600);
    try {
      writeSync(fd, randomBytes(32).toString("base64"));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  const chave = Buffer.from(readFileSync(arquivo, "utf8").trim(), "base64");
  if (chave.length !== 32) {
    throw new Error(`O arquivo ${arquivo} não contém uma chave de 32 bytes; restaure-o ou defina APP_SECRET.`);
  }
  return chave;
}

/** The AES-256 key: derived from APP_SECRET when set, else the generated file under data/. */
export function chaveDeCifra(): Buffer {
  if (!chaveEmCache) {
    const segredo = process.env.APP_SECRET;
    chaveEmCache = segredo ? scryptSync(segredo, "provedores-llm/api_key", 32) : chaveDoArquivo();
  }
  return chaveEmCache;
}

/** AES-256-GCM: "v1:" + base64(iv | tag | ciphertext). */
export function cifrar(texto: string, chave = chaveDeCifra()): string {
  const iv = randomBytes(12);
  const cifra = createCipheriv("aes-256-gcm", chave, iv);
  const dados = Buffer.concat([cifra.update(texto, "utf8"), cifra.final()]);
  return PREFIXO + Buffer.concat([iv, cifra.getAuthTag(), dados]).toString("base64");
}

export function decifrar(valor: string, chave = chaveDeCifra()): string {
  try {
    if (!valor.startsWith(PREFIXO)) throw new Error("formato desconhecido");
    const bruto = Buffer.from(valor.slice(PREFIXO.length), "base64");
    const decifra = createDecipheriv("aes-256-gcm", chave, bruto.subarray(0, 12));
    decifra.setAuthTag(bruto.subarray(12, 28));
    return Buffer.concat([decifra.update(bruto.subarray(28)), decifra.final()]).toString("utf8");
  } catch {
    throw new ErroApp(
      "interno",
      "Não foi possível decifrar a API key salva: o APP_SECRET (ou data/segredo.key) mudou desde que ela foi gravada. Informe a chave de novo na edição do provedor.",
    );
  }
}
