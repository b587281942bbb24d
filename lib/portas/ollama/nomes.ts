import type { Catalogo, ModeloNoProvedor } from "../../gateway/catalogo";
import { procurar } from "../../gateway/escolher";

const TAG_PADRAO = ":latest";

/**
 * A model id as Ollama clients expect it, `name:tag`: an id without a tag (llama.cpp's alias, LM Studio's
 * `publisher/name`) gets `:latest`, as Ollama itself names an untagged model. A tag is a `:` in the last path
 * segment (a registry host's port is not one).
 */
export function nomeOllama(id: string): string {
  return id.slice(id.lastIndexOf("/") + 1).includes(":") ? id : `${id}${TAG_PADRAO}`;
}

/**
 * The catalogue id an Ollama client's name stands for: the name itself when some provider has it; else the
 * name without the `:latest` this door added (`tiny:latest` → llama.cpp's `tiny`); else the name with it
 * (`llama3.2` → Ollama's `llama3.2:latest`, as Ollama reads an untagged name). A name no provider has is kept
 * as sent, with no entries (the caller refreshes the model lists once, then answers 404).
 */
export function idDoCatalogo(catalogo: Catalogo, nome: string): { id: string; entradas: ModeloNoProvedor[] } {
  const opcoes = [nome];
  if (nome.endsWith(TAG_PADRAO)) opcoes.push(nome.slice(0, -TAG_PADRAO.length));
  else if (nomeOllama(nome) !== nome) opcoes.push(nomeOllama(nome));
  for (const id of opcoes) {
    const achadas = procurar(catalogo, id);
    if (achadas.length) return { id, entradas: achadas };
  }
  return { id: nome, entradas: [] };
}
